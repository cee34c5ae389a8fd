/**
 * Receives on one instance claim from the fresh page another receive here read just before, instead of reading the
 * `ready` index again each time (engine/standard/shard-reads.ts); a page another instance worked through costs a
 * batch of lost claims at most and pauses the pages, and no message is received twice (manual clocks).
 */
import type { Engine, Queue } from '@dqs/core'
import { afterAll, describe, expect, it } from 'vitest'
import { sendBacklog } from '../support/backlog.js'
import { meterCapacity } from '../support/capacity.js'
import { testEngine } from '../support/engine.js'

/** An engine instance with its DynamoDB capacity metered, requests counted by command. */
function countedEngine() {
  const instance = testEngine()
  const capacity = meterCapacity(instance.db)
  const count = (command: string) => capacity().commands[command] ?? 0
  return { ...instance, count, capacity }
}

const here = countedEngine()
const elsewhere = countedEngine()
afterAll(() => {
  here.db.destroy()
  elsewhere.db.destroy()
})

const bodies = (count: number) => Array.from({ length: count }, (_, i) => `m${i}`)
const receiveBodies = async (engine: Engine, queue: Queue) =>
  (await engine.receiveMessages(queue, { maxNumberOfMessages: 10, visibilityTimeout: 600, waitTimeSeconds: 0 })).map((m) => m.body)
/** Two receives side by side: the queue is busy on `engine` for the next second (engine/standard/contention.ts). */
const overlap = async (engine: Engine, queue: Queue) => (await Promise.all([receiveBodies(engine, queue), receiveBodies(engine, queue)])).flat()

describe('standard queue fresh pages (manual clocks)', () => {
  it('serves busy receives here from the pages read just before, each message once', async () => {
    const queue = await here.createQueue()
    await sendBacklog(here.engine, queue, bodies(400))
    const received = await overlap(here.engine, queue)
    const queriesBefore = here.count('QueryCommand')
    const lostBefore = here.capacity().conditionFailures
    for (let i = 0; i < 6; i++) received.push(...await receiveBodies(here.engine, queue))

    // without pages each of the 6 reads a fresh region (a query each); with them, one in three at most
    expect(here.count('QueryCommand') - queriesBefore).toBeLessThanOrEqual(2)
    // nothing offered twice: what a receive here claimed is never tried again from a page
    expect(here.capacity().conditionFailures).toBe(lostBefore)
    expect(received).toHaveLength(80)
    expect(new Set(received).size).toBe(80)
  }, 60_000)

  it('serves a lone consumer from its pages too, oldest first', async () => {
    const queue = await here.createQueue()
    // 40 batches of 10, a millisecond apart: each receive of 10 must return exactly the oldest batch left
    const sent = bodies(400)
    for (let start = 0; start < 400; start += 10) {
      await sendBacklog(here.engine, queue, sent.slice(start, start + 10))
      here.clock.advance(1)
    }
    const queriesBefore = here.count('QueryCommand')
    for (let batch = 0; batch < 8; batch++) {
      expect(new Set(await receiveBodies(here.engine, queue))).toEqual(new Set(sent.slice(batch * 10, batch * 10 + 10)))
    }
    // without pages: 4 to 8 queries for the first receive (every shard's two regions, in one query unless its fresh
    // entries fill it), 4 for each of the 7 others (the hidden regions are not due again within the second while
    // each shard has a backlog): 32 to 36
    expect(here.count('QueryCommand') - queriesBefore).toBeLessThanOrEqual(16)
  }, 60_000)

  it('lists nothing a purge removed: a receive right after PurgeQueue finds the queue empty', async () => {
    const queue = await here.createQueue()
    await sendBacklog(here.engine, queue, bodies(100))
    // the pages now list the rest of the purged generation's messages
    expect(await overlap(here.engine, queue)).toHaveLength(20)
    await here.engine.purgeQueue(queue)
    const purged = (await here.reload(queue))!
    expect(await receiveBodies(here.engine, purged)).toEqual([])
    expect(await overlap(here.engine, purged)).toEqual([])
  }, 60_000)

  it('drops its pages after a lost claim when another instance took what they list, and delivers every message once', async () => {
    const queue = await here.createQueue()
    // sent a millisecond apart per ten, so that "the oldest" below is the same for both instances
    for (let start = 0; start < 300; start += 10) {
      await sendBacklog(here.engine, queue, bodies(300).slice(start, start + 10))
      here.clock.advance(1)
    }
    const received = await overlap(here.engine, queue)
    // elsewhere, a lone consumer takes the 150 oldest: nearly all that this instance's pages list (the 25 or 35
    // oldest of each shard of ~75)
    for (let i = 0; i < 15; i++) received.push(...await receiveBodies(elsewhere.engine, queue))

    const lostBefore = here.capacity().conditionFailures
    const queriesBefore = here.count('QueryCommand')
    const afterLoss = await receiveBodies(here.engine, queue)
    // a stale page: one batch of claims from it was lost (no more), and this receive read a shard's fresh region instead
    const lost = here.capacity().conditionFailures - lostBefore
    expect(lost).toBeGreaterThanOrEqual(1)
    expect(lost).toBeLessThanOrEqual(10)
    expect(here.count('QueryCommand') - queriesBefore).toBeGreaterThanOrEqual(1)
    expect(afterLoss).toHaveLength(10)
    received.push(...afterLoss)
    // the pages went with the loss, and for a few seconds none serves: the next receive reads the index again and
    // claims what is there
    const lostAfter = here.capacity().conditionFailures
    const queriesAfter = here.count('QueryCommand')
    received.push(...await receiveBodies(here.engine, queue))
    expect(here.capacity().conditionFailures).toBe(lostAfter)
    expect(here.count('QueryCommand')).toBeGreaterThan(queriesAfter)

    for (let empty = 0; empty < 3;) {
      const got = await receiveBodies(here.engine, queue)
      received.push(...got)
      empty = got.length ? 0 : empty + 1
    }
    expect(received).toHaveLength(300)
    expect(new Set(received)).toEqual(new Set(bodies(300)))
  }, 60_000)
})
