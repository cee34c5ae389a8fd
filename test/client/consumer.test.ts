import { consume, queue, type ReceivedMessage } from '@dqs/client'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createQueue, drain, sleep, spyOnCommands, sqsClient, waitUntil } from './support.js'

const Job = z.object({ n: z.number().int() })

describe('consume(): many messages with concurrency', () => {
  it('handles 2,000 messages each exactly once, at most `concurrency` at a time, and deletes them in batches', async () => {
    const client = sqsClient()
    // a visibility timeout longer than the test: any second delivery would be a consumer bug, not a timeout
    const { url } = await createQueue(client, 'many', { VisibilityTimeout: '300' })
    const jobs = queue(url, { client, schema: Job })
    const total = 2_000
    const sent = await jobs.sendMany(Array.from({ length: total }, (_, n) => ({ n })))
    expect(sent.filter((r) => !r.ok)).toEqual([])

    const { inputs } = spyOnCommands(client)
    const seen = new Map<number, number>()
    let running = 0
    let maxRunning = 0
    const errors: unknown[] = []
    const consumer = consume(jobs, async (message) => {
      running++
      maxRunning = Math.max(maxRunning, running)
      seen.set(message.body.n, (seen.get(message.body.n) ?? 0) + 1)
      await sleep(Math.random() * 4)
      running--
    }, { concurrency: 25, waitTimeSeconds: 1, onError: (error) => errors.push(error) })
    await waitUntil('all 2,000 handled', () => seen.size === total, 120_000)
    await consumer.stop()

    expect(errors).toEqual([])
    expect([...seen.values()].every((count) => count === 1)).toBe(true)
    expect(maxRunning).toBeLessThanOrEqual(25)
    expect(maxRunning).toBeGreaterThan(1)
    expect(consumer.stats).toMatchObject({ received: total, succeeded: total, deleted: total, failed: 0, inFlight: 0 })
    const deleteBatches = inputs('DeleteMessageBatchCommand').map((input) => (input.Entries as unknown[]).length)
    expect(deleteBatches.reduce((a, b) => a + b, 0)).toBe(total)
    expect(deleteBatches.every((size) => size <= 10)).toBe(true)
    // batching means far fewer requests than messages
    expect(deleteBatches.length).toBeLessThan(total / 4)
    expect(inputs('DeleteMessageCommand')).toEqual([])
    expect(await drain(client, url)).toEqual([])
  }, 150_000)

  it('gives a batch handler the messages of one receive, deletes the successes and leaves the reported failures', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'batch', { VisibilityTimeout: '300' })
    const jobs = queue(url, { client, schema: Job })
    await jobs.sendMany(Array.from({ length: 30 }, (_, n) => ({ n })))
    const batchSizes: number[] = []
    const handled = new Set<number>()
    const consumer = consume(jobs, (messages) => {
      batchSizes.push(messages.length)
      for (const m of messages) handled.add(m.body.n)
      return { failed: messages.filter((m) => m.body.n % 10 === 0) }
    }, { batch: true, concurrency: 2, waitTimeSeconds: 1, retryBackoff: () => 600 })
    await waitUntil('30 handled', () => handled.size === 30)
    await consumer.stop()
    expect(batchSizes.every((size) => size >= 1 && size <= 10)).toBe(true)
    expect(consumer.stats).toMatchObject({ received: 30, succeeded: 27, failed: 3, deleted: 27 })
  })

  it('reports the outcome of every message through onMessage and onProcessed', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'hooks', { VisibilityTimeout: '300' })
    const jobs = queue(url, { client, schema: Job })
    await jobs.sendMany([{ n: 1 }, { n: 2 }])
    const started: number[] = []
    const processed: Array<{ n: number; outcome: string }> = []
    const consumer = consume(jobs, (message: ReceivedMessage<{ n: number }>) => {
      if (message.body.n === 2) throw new Error('no')
    }, {
      waitTimeSeconds: 1,
      retryBackoff: () => 600,
      onMessage: (message) => started.push(message.body.n),
      onProcessed: ({ message, outcome }) => processed.push({ n: message.body.n, outcome }),
    })
    await waitUntil('both processed', () => processed.length === 2)
    await consumer.stop()
    expect(started.sort()).toEqual([1, 2])
    expect(processed.sort((a, b) => a.n - b.n)).toEqual([{ n: 1, outcome: 'succeeded' }, { n: 2, outcome: 'failed' }])
  })
})
