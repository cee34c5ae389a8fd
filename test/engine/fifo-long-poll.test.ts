import { Engine, addSendMiddleware, createDb, systemClock, type Clock } from '@dqs/core'
import { describe, expect, inject, it } from 'vitest'
import { bodies, fifoHarness } from './fifo-harness.js'

const h = fifoHarness()

/** A second instance on the same tables (its own notifier and DynamoDB client); the manual clock unless told. */
function secondInstance(clock: Clock = h.clock) {
  return new Engine({ ...h.engine.deps, clock, db: createDb({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1' }) })
}

describe('FIFO engine: long polling', () => {
  it('returns as soon as a message is sent through the same instance', async () => {
    const queue = await h.queue()
    const started = performance.now()
    const waiting = h.engine.receiveMessages(queue, { maxNumberOfMessages: 10, waitTimeSeconds: 10 })
    await new Promise((resolve) => setTimeout(resolve, 200))
    await h.send(queue, 'wake', 'g')
    expect(bodies(await waiting)).toEqual(['wake'])
    expect(performance.now() - started).toBeLessThan(3000)
  })

  it('sees a message sent through another instance within the backoff interval', async () => {
    const queue = await h.queue()
    const other = secondInstance()
    const waiting = h.engine.receiveMessages(queue, { maxNumberOfMessages: 10, waitTimeSeconds: 10 })
    await new Promise((resolve) => setTimeout(resolve, 300))
    const sentAt = performance.now()
    const [result] = await other.sendMessages(queue, [{ body: 'across', messageGroupId: 'g', messageDeduplicationId: 'x' }], 'tester')
    expect(result!.ok).toBe(true)
    expect(bodies(await waiting)).toEqual(['across'])
    // a backoff interval (≤ 1 s) and a receive, stretched on a loaded machine: far below the poll's 10 s
    expect(performance.now() - sentAt).toBeLessThan(3000)
  })

  it('wakes when another receive releases a group with VisibilityTimeout 0', async () => {
    const queue = await h.queue()
    await h.send(queue, 'a', 'g')
    const [held] = await h.receive(queue, 1)
    const waiting = h.engine.receiveMessages(queue, { maxNumberOfMessages: 10, waitTimeSeconds: 10 })
    await new Promise((resolve) => setTimeout(resolve, 200))
    await h.engine.changeMessageVisibility(queue, held!.receiptHandle, 0)
    expect(bodies(await waiting)).toEqual(['a'])
  })

  it('backs off while nothing is receivable instead of spinning on the ready index', async () => {
    const queue = await h.queue()
    await h.send(queue, 'held', 'g')
    await h.receive(queue, 1, 600) // the only group is locked: the index has nothing ready
    // a real clock: the wait has to end (the manual clock only moves when told)
    const engine = secondInstance(systemClock)
    let indexQueries = 0
    addSendMiddleware(engine.deps.db, (next) => async (args) => {
      if ((args.input as { IndexName?: string }).IndexName === 'ready') indexQueries++
      return next(args)
    }, { name: 'countIndexQueries' })
    const started = performance.now()
    expect(await engine.receiveMessages(queue, { maxNumberOfMessages: 10, waitTimeSeconds: 3 })).toEqual([])
    expect(performance.now() - started).toBeGreaterThanOrEqual(2900)
    // 50 ms growing ×1.6 to 1 s: about 9 attempts in 3 s, each one query per index shard
    expect(indexQueries).toBeLessThanOrEqual(12 * queue.shards)
    expect(indexQueries).toBeGreaterThan(0)
  })
})
