/**
 * Standard queues with thousands of messages in flight or delayed ahead of the visible ones (manual clock): receives
 * still find what is visible, oldest first, and read no more for what they cannot take.
 */
import type { Queue } from '@dqs/core'
import { afterAll, describe, expect, it } from 'vitest'
import { drain, holdInFlight, receiveCost, sendBacklog } from '../support/backlog.js'
import { meterCapacity } from '../support/capacity.js'
import { testEngine } from '../support/engine.js'

const { engine, clock, db, createQueue, send, receive } = testEngine()
const capacity = meterCapacity(db)
afterAll(() => db.destroy())

const bodies = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`)
/** The bodies of one receive of up to `max`, kept in flight for 10 minutes (the clock moves only when told). */
const receiveBodies = async (queue: Queue, max = 10) => (await receive(queue, { max, visibilityTimeout: 600 })).map((m) => m.body)
const sorted = (list: string[]) => [...list].sort()

describe('standard queue with thousands of messages it cannot deliver yet (manual clock)', () => {
  it('keeps delivering the messages behind 2,000 in flight, each once, none of those in flight', async () => {
    const queue = await createQueue()
    const first = bodies('first', 2_500)
    await sendBacklog(engine, queue, first)
    const held = await holdInFlight(2_000, (max) => receiveBodies(queue, max))
    expect(new Set(held).size).toBe(2_000)
    clock.advance(1_000)
    const later = bodies('later', 10)
    await sendBacklog(engine, queue, later)

    const received: string[] = []
    for (let i = 0; i < 5; i++) {
      const batch = await receiveBodies(queue)
      expect(batch.length).toBeGreaterThan(0)
      received.push(...batch)
    }
    const rest = await drain(() => receiveBodies(queue))
    received.push(...rest.bodies)

    const heldSet = new Set(held)
    const others = [...first.filter((b) => !heldSet.has(b)), ...later]
    expect(others).toHaveLength(510)
    expect(sorted(received)).toEqual(sorted(others))
    // 51 full receives and the empty one that ends the drain; a few short ones are slack, a trickle is a failure
    expect(5 + rest.receives).toBeLessThanOrEqual(55)
  }, 180_000)

  it('delivers messages sent after 2,000 delayed ones at once, and the delayed ones when their delay ends', async () => {
    const queue = await createQueue()
    const delayed = bodies('delayed', 2_000)
    await sendBacklog(engine, queue, delayed, { delaySeconds: 900 })
    clock.advance(1)
    const prompt = bodies('prompt', 10)
    await sendBacklog(engine, queue, prompt)

    const now = await receive(queue, { max: 10 })
    expect(sorted(now.map((m) => m.body))).toEqual(sorted(prompt))
    expect(await engine.deleteMessageBatch(queue, now.map((m) => m.receiptHandle))).toEqual(now.map(() => null))
    expect(await receive(queue)).toEqual([])

    clock.advance(901_000)
    const { bodies: later } = await drain(() => receiveBodies(queue))
    expect(sorted(later)).toEqual(sorted(delayed))
  }, 120_000)
})

describe('standard queue receive order with one consumer (manual clock)', () => {
  /** `count` messages `m0…`, each sent 1 ms after the one before. */
  async function sendInOrder(queue: Queue, count: number) {
    const sent: string[] = []
    for (let i = 0; i < count; i++) {
      await send(queue, `m${i}`)
      sent.push(`m${i}`)
      clock.advance(1)
    }
    return sent
  }

  it('returns messages oldest first across shards, one at a time and ten at a time', async () => {
    const single = await createQueue()
    const sentSingle = await sendInOrder(single, 30)
    const one: Array<{ body: string; pk: string }> = []
    for (let i = 0; i < 30; i++) one.push(...await receive(single, { max: 1, visibilityTimeout: 600 }))
    expect(one.map((m) => m.body)).toEqual(sentSingle)
    // the 30 landed in random shards; order across several is what this shows
    expect(new Set(one.map((m) => m.pk)).size).toBeGreaterThan(1)

    const tens = await createQueue()
    const sentTens = await sendInOrder(tens, 30)
    for (let batch = 0; batch < 3; batch++) {
      const got = await receive(tens, { max: 10, visibilityTimeout: 600 })
      // claims within a receive run in parallel, so only the batch's membership is ordered
      expect(sorted(got.map((m) => m.body))).toEqual(sorted(sentTens.slice(batch * 10, batch * 10 + 10)))
    }
    expect(await receive(tens)).toEqual([])
  })

  it('returns a message whose visibility timeout ran out before newer ones', async () => {
    const queue = await createQueue()
    await sendInOrder(queue, 10)
    const [first] = await receive(queue, { max: 1, visibilityTimeout: 30 })
    expect(first!.body).toBe('m0')
    clock.advance(31_000)
    const [again] = await receive(queue, { max: 1, visibilityTimeout: 30 })
    expect(again).toMatchObject({ body: 'm0', receiveCount: 2 })
    const [next] = await receive(queue, { max: 1, visibilityTimeout: 30 })
    expect(next!.body).toBe('m1')
  })

  it('reads a shard’s two regions in one query, and the hidden one again when fresh messages filled that query', async () => {
    // one shard, so that its query is sure to fill up
    const queue = { ...await createQueue(), shards: 1 }
    // a long poll that finds messages at once: no look at the in-flight count first, as a short poll makes
    const receiveOne = async () => (await engine.receiveMessages(queue, { maxNumberOfMessages: 1, visibilityTimeout: 30, waitTimeSeconds: 1 }))[0]
    await send(queue, 'm0')
    const before = capacity().requests
    const first = await receiveOne()
    expect(first!.body).toBe('m0')
    expect(capacity().requests - before).toBe(2) // one query, one claim
    const fresh = await sendInOrder(queue, 30)
    clock.advance(31_000)
    const again = capacity().requests
    const back = await receiveOne()
    // 25 fresh entries filled the query: the hidden region, read on its own, still comes first
    expect(back).toMatchObject({ body: 'm0', receiveCount: 2 })
    expect(capacity().requests - again).toBe(3)
    const next = await receiveOne()
    expect(next!.body).toBe(fresh[0])
  })

  it('makes a message receivable by the very next receive after ChangeMessageVisibility to 0', async () => {
    const queue = await createQueue()
    await sendInOrder(queue, 3)
    const [first] = await receive(queue, { max: 1, visibilityTimeout: 600 })
    const [second] = await receive(queue, { max: 1, visibilityTimeout: 600 })
    expect([first!.body, second!.body]).toEqual(['m0', 'm1'])
    await engine.changeMessageVisibility(queue, first!.receiptHandle, 0)
    const [next] = await receive(queue, { max: 1, visibilityTimeout: 600 })
    expect(next).toMatchObject({ body: 'm0', receiveCount: 2 })
  })

  it('makes a delayed message receivable by the next receive once its delay ends, before newer ones', async () => {
    const queue = await createQueue()
    await send(queue, 'delayed', { delaySeconds: 60 })
    clock.advance(1)
    await sendInOrder(queue, 3)
    const [first] = await receive(queue, { max: 1, visibilityTimeout: 600 })
    expect(first!.body).toBe('m0')
    clock.advance(60_000)
    const [next] = await receive(queue, { max: 1, visibilityTimeout: 600 })
    expect(next!.body).toBe('delayed')
  })
})

describe('standard queue receives side by side (manual clock)', () => {
  it('reads one shard at a time for a second after two receives overlapped, then every shard, oldest first', async () => {
    const queue = await createQueue()
    const sent: string[] = []
    for (let i = 0; i < 40; i++) {
      await send(queue, `m${i}`)
      sent.push(`m${i}`)
      clock.advance(1)
    }
    const received = new Set<string>()
    const receiveOne = async () => {
      const before = capacity().requests
      const [message] = await engine.receiveMessages(queue, { maxNumberOfMessages: 1, visibilityTimeout: 600, waitTimeSeconds: 1 })
      received.add(message!.body)
      return { body: message!.body, requests: capacity().requests - before }
    }
    const oldestLeft = () => sent.find((body) => !received.has(body))

    // a lone consumer: every shard (4 of them, the fresh and hidden regions in one query each), then one claim
    const alone = await receiveOne()
    expect(alone).toEqual({ body: 'm0', requests: 5 })
    await Promise.all([receiveOne(), receiveOne()])
    // begun after the overlap, with nothing else running: one of many all the same, so one shard, its fresh
    // candidates from the page read just before (engine/standard/shard-reads.ts): its hidden region, one claim
    const afterOverlap = await receiveOne()
    expect(afterOverlap.requests).toBe(2)
    clock.advance(1_000)
    const oldest = oldestLeft()
    const quietAgain = await receiveOne()
    expect(quietAgain).toEqual({ body: oldest, requests: 5 })
  })
})

describe('standard queue receive cost with messages in flight (manual clock)', () => {
  const backlog = 400
  const receives = 20

  it('reads and requests no more than twice as much per receive with 2,000 in flight as with none', async () => {
    const idle = await createQueue()
    await sendBacklog(engine, idle, bodies('visible', backlog))
    const none = await receiveCost(engine, idle, capacity, receives)

    const busy = await createQueue()
    await sendBacklog(engine, busy, bodies('held', 2_000))
    // the messages in flight are the oldest: every shard's head is hidden behind them
    expect(await holdInFlight(2_000, (max) => receiveBodies(busy, max))).toHaveLength(2_000)
    clock.advance(1)
    await sendBacklog(engine, busy, bodies('visible', backlog))
    const held = await receiveCost(engine, busy, capacity, receives)

    console.info(`receive of 10, 0 in flight: ${none.rru} RRU, ${none.requests} requests; 2,000 in flight: ${held.rru} RRU, ${held.requests} requests`)
    // a meter that saw no reads would make the bound below say nothing
    expect(none.rru).toBeGreaterThan(0)
    expect(none.returned).toEqual(Array(receives).fill(10))
    expect(held.returned).toEqual(Array(receives).fill(10))
    expect(held.rru).toBeLessThanOrEqual(2 * none.rru)
    expect(held.requests).toBeLessThanOrEqual(2 * none.requests)
  }, 120_000)
})
