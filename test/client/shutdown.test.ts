import { consume, queue, type ProcessedEvent } from '@dqs/client'
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createQueue, drain, sleep, sqsClient, waitUntil } from './support.js'

const Job = z.object({ n: z.number().int() })

describe('graceful shutdown', () => {
  it('stopping mid-stream (AbortSignal) loses nothing and duplicates nothing: a second consumer handles exactly the rest', async () => {
    const client = sqsClient()
    // nothing is redelivered by timeout during the test: only what the first consumer released comes back early
    const { url } = await createQueue(client, 'shutdown', { VisibilityTimeout: '300' })
    const jobs = queue(url, { client, schema: Job })
    const total = 300
    await jobs.sendMany(Array.from({ length: total }, (_, n) => ({ n })))

    const handledByFirst: number[] = []
    const releasedWhileRunning = new Set<number>()
    let running = 0
    const abort = new AbortController()
    const first = consume(jobs, async (message) => {
      running++
      await sleep(10 + Math.random() * 20)
      handledByFirst.push(message.body.n)
      running--
    }, {
      concurrency: 10, waitTimeSeconds: 1, signal: abort.signal, shutdownTimeoutMs: 10_000,
      onProcessed: (event: ProcessedEvent<{ n: number }>) => {
        if (event.outcome === 'released') releasedWhileRunning.add(event.message.body.n)
      },
    })
    await waitUntil('first consumer under way', () => handledByFirst.length >= 60)
    abort.abort()
    await first.stopped
    expect(running).toBe(0)
    expect(handledByFirst.length).toBeLessThan(total)
    expect(first.stats.deleted).toBe(first.stats.succeeded)
    expect(first.stats.inFlight).toBe(0)

    const handledBySecond: number[] = []
    const second = consume(jobs, (message) => {
      handledBySecond.push(message.body.n)
    }, { concurrency: 10, waitTimeSeconds: 1 })
    const remaining = total - new Set(handledByFirst).size
    await waitUntil('the rest handled', () => new Set(handledBySecond).size >= remaining, 60_000)
    await second.stop()

    const counts = new Map<number, number>()
    for (const n of [...handledByFirst, ...handledBySecond]) counts.set(n, (counts.get(n) ?? 0) + 1)
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, n) => n))
    const twice = [...counts].filter(([, count]) => count > 1).map(([n]) => n)
    expect(twice.filter((n) => !releasedWhileRunning.has(n))).toEqual([])
    expect(await drain(client, url)).toEqual([])
  }, 90_000)

  it('stops an idle consumer with 20 s long polls within about a second, nothing lost or left hidden', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'idle-stop', { VisibilityTimeout: '300' })
    const jobs = queue(url, { client, schema: Job })
    await jobs.sendMany([{ n: 1 }, { n: 2 }])
    const handled: number[] = []
    // 30 slots: three 20 s long polls out at once
    const consumer = consume(jobs, (message) => { handled.push(message.body.n) }, { concurrency: 30 })
    await waitUntil('both handled', () => handled.length === 2)
    await waitUntil('deleted', () => consumer.stats.deleted === 2)
    await sleep(500) // the polls are waiting now
    const started = performance.now()
    await consumer.stop()
    const took = performance.now() - started
    console.info(`idle consumer stop() with three 20 s polls out: ${took.toFixed(0)} ms`)
    expect(took).toBeLessThan(2_000)
    const { Attributes } = await client.send(new GetQueueAttributesCommand({
      QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }))
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' })
    await jobs.send({ n: 3 })
    expect((await drain(client, url)).map((m) => JSON.parse(m.Body!).n)).toEqual([3])
    expect(handled.sort()).toEqual([1, 2])
  }, 60_000)

  it('with waitOutPolls, lets the running long polls end by themselves', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'wait-out')
    const consumer = consume(queue(url, { client, schema: Job }), () => {}, { waitTimeSeconds: 3, waitOutPolls: true })
    await sleep(1_000)
    const started = performance.now()
    await consumer.stop()
    // the poll that was waiting had about 2 s left, however late this machine is
    expect(performance.now() - started).toBeGreaterThan(1_000)
  }, 60_000)

  it('releases messages still running when the shutdown timeout passes, so another consumer gets them at once', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'stuck', { VisibilityTimeout: '300' })
    const jobs = queue(url, { client, schema: Job })
    await jobs.sendMany(Array.from({ length: 5 }, (_, n) => ({ n })))
    const aborted: number[] = []
    let started = 0
    const first = consume(jobs, async (message, { signal }) => {
      started++
      await new Promise((resolve) => signal.addEventListener('abort', resolve))
      aborted.push(message.body.n)
    }, { concurrency: 5, waitTimeSeconds: 1, shutdownTimeoutMs: 300 })
    await waitUntil('all five running', () => started === 5)
    const stopping = Date.now()
    await first.stop()
    expect(Date.now() - stopping).toBeLessThan(3_000)
    expect(aborted.sort()).toEqual([0, 1, 2, 3, 4])
    expect(first.stats).toMatchObject({ released: 5, succeeded: 0, deleted: 0, inFlight: 0 })

    const again: Array<{ n: number; count: number }> = []
    const second = consume(jobs, (message) => {
      again.push({ n: message.body.n, count: message.approximateReceiveCount })
    }, { waitTimeSeconds: 1 })
    await waitUntil('released messages delivered again', () => again.length === 5, 10_000)
    await second.stop()
    expect(again.sort((a, b) => a.n - b.n)).toEqual([0, 1, 2, 3, 4].map((n) => ({ n, count: 2 })))
  })
})
