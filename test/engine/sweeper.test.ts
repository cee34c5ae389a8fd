/** The sweeper on DynamoDB Local with a manual clock: what it deletes, what it keeps, budgets, overlapping runs. */
import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { randomBytes } from 'node:crypto'
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import {
  createDb, Engine, ensureTables, loadConfig, ManualClock, sweep, sweepGraceMs, systemClock, tableNamesOf, type Queue,
  type SweepOptions,
} from '../../packages/core/src/index.js'
import { fifoGroupPartition, fifoMessageSortKey, shardPartition } from '../../packages/core/src/storage/keys.js'
import { listSweepWork, partitionKeys, type SweepStore } from '../../packages/core/src/storage/sweep-store.js'
import { uniqueQueueName } from '../support/clients.js'

const db = createDb({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1' })
const roomy: SweepOptions = { budgetMs: 60_000, maxItems: 10_000 }

let clock: ManualClock
let engine: Engine
let store: SweepStore

beforeAll(() => {
  // DynamoDB Local deletes items whose `ttl` is past on its own clock; starting a month ahead keeps TTL out of the test
  clock = new ManualClock(systemClock.now() + 30 * 86_400_000)
})

beforeEach(async () => {
  // the sweeper works on whole tables: each test gets its own, so no other test's items are in reach
  const config = loadConfig({ DQS_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), DQS_TABLE_PREFIX: `sweep-${randomBytes(4).toString('hex')}`, DQS_QUEUE_CACHE_MS: '0' })
  const tables = tableNamesOf(config)
  await ensureTables(db, tables)
  engine = new Engine({ db, tables, clock, config })
  store = { db, tables }
})

const run = (options: SweepOptions = roomy) => sweep(engine.deps, options)

async function newQueue(attributes: Record<string, string> = {}, fifo = false) {
  return engine.createQueue({ accountId: '000000000000', name: uniqueQueueName('sweep', fifo), attributes: fifo ? { ...attributes, FifoQueue: 'true' } : attributes, tags: {} })
}

async function send(queue: Queue, ...bodies: string[]) {
  const results = await engine.sendMessages(queue, bodies.map((body, i) => ({ id: String(i), body })), '000000000000')
  expect(results.every((r) => r.ok)).toBe(true)
}

/** Items (messages and chunks) stored in one generation's shards, read straight from the table. */
async function itemsIn(queue: Pick<Queue, 'id' | 'gen' | 'shards'>) {
  let count = 0
  for (let shard = 0; shard < queue.shards; shard++) count += (await partitionKeys(store, shardPartition(queue.id, queue.gen, shard), 1000)).keys.length
  return count
}

const pendingWork = async () => (await listSweepWork(store)).works

describe('the sweeper', () => {
  it('deletes messages past retention from live queues, chunks included, and keeps the rest', async () => {
    const queue = await newQueue({ MessageRetentionPeriod: '60' })
    const noise = Array.from({ length: 700_000 }, () => String.fromCharCode(32 + Math.floor(Math.random() * 95))).join('')
    await send(queue, 'old 1', 'old 2', noise)
    expect(await itemsIn(queue)).toBeGreaterThan(3) // the big body spilled into a chunk item
    clock.advance(61_000)
    await send(queue, 'new 1', 'new 2')
    const report = await run()
    expect(report).toMatchObject({ complete: true, queuesSwept: 1 })
    expect(report.deleted).toBeGreaterThan(3)
    expect(await itemsIn(queue)).toBe(2)
    const received = await engine.receiveMessages(queue, { maxNumberOfMessages: 10 })
    expect(received.map((m) => m.body).sort()).toEqual(['new 1', 'new 2'])
  })

  it("deletes a purged generation's messages, keeps the new generation's, and drops the work after the grace period", async () => {
    const before = await newQueue()
    await send(before, 'a', 'b', 'c')
    await engine.purgeQueue(before)
    const after = await engine.getQueue(before.accountId, before.name)
    await send(after, 'kept')
    expect(await pendingWork()).toEqual([expect.objectContaining({ queueId: before.id, gen: before.gen, reason: 'purge' })])

    await run()
    expect(await itemsIn(before)).toBe(0)
    expect(await pendingWork()).toHaveLength(1) // within the grace period a late send may still land

    await send(before, 'late') // a sender whose copy of the queue predates the purge
    clock.advance(sweepGraceMs)
    const report = await run()
    expect(report.generationsCleaned).toBe(1)
    expect(await itemsIn(before)).toBe(0)
    expect(await pendingWork()).toEqual([])
    expect(await itemsIn(after)).toBe(1)
  })

  it('records every generation, even when purged or deleted through a stale copy of the queue', async () => {
    const stale = await newQueue()
    await send(stale, 'gen 0')
    await engine.purgeQueue(stale)
    await send(await engine.getQueue(stale.accountId, stale.name), 'gen 1')
    clock.advance(61_000) // past the purge cooldown
    await engine.purgeQueue(stale) // another instance purged since this copy was read: purge the current generation
    const current = await engine.getQueue(stale.accountId, stale.name)
    expect(current.gen).toBe(2)
    await send(current, 'gen 2')
    await engine.deleteQueue(stale)
    expect((await pendingWork()).map((w) => [w.gen, w.reason])).toEqual([[0, 'purge'], [1, 'purge'], [2, 'delete']])
    clock.advance(sweepGraceMs)
    await run()
    for (const gen of [0, 1, 2]) expect(await itemsIn({ ...stale, gen })).toBe(0)
    expect(await pendingWork()).toEqual([])
  })

  it("deletes a deleted queue's messages, and leaves a namesake created later alone", async () => {
    const gone = await newQueue()
    await send(gone, 'x', 'y')
    await engine.deleteQueue(gone)
    clock.advance(Math.max(sweepGraceMs, 61_000))
    const namesake = await engine.createQueue({ accountId: gone.accountId, name: gone.name, attributes: {}, tags: {} })
    await send(namesake, 'fresh')
    await run()
    expect(await itemsIn(gone)).toBe(0)
    expect(await pendingWork()).toEqual([])
    expect(await itemsIn(namesake)).toBe(1)
  })

  it('finds a FIFO generation\'s group partitions by their key prefix, whatever is stored in them', async () => {
    const queue = await newQueue({}, true)
    const other = await newQueue({}, true)
    const groupItems = (q: Queue, group: string) => [
      { pk: fifoGroupPartition(q.id, q.gen, group), sk: '#' },
      { pk: fifoGroupPartition(q.id, q.gen, group), sk: fifoMessageSortKey('00000000000000000001') },
    ]
    const items = [...groupItems(queue, 'g1'), ...groupItems(queue, 'g#2'), ...groupItems(other, 'g1')]
    for (const item of items) await db.send(new PutCommand({ TableName: store.tables.messages, Item: item }))
    await engine.deleteQueue(queue)
    const count = async (q: Queue, group: string) => (await partitionKeys(store, fifoGroupPartition(q.id, q.gen, group), 100)).keys.length

    await run()
    expect(await count(queue, 'g1')).toBe(2) // not scanned before the grace period: a late send could follow
    clock.advance(sweepGraceMs)
    const report = await run()
    expect(report.generationsCleaned).toBe(1)
    expect([await count(queue, 'g1'), await count(queue, 'g#2'), await count(other, 'g1')]).toEqual([0, 0, 2])
    expect(await pendingWork()).toEqual([])
  })

  it('does no harm when two runs overlap', async () => {
    const live = await newQueue({ MessageRetentionPeriod: '60' })
    const purged = await newQueue()
    await send(live, ...Array.from({ length: 30 }, (_, i) => `expired ${i}`))
    await send(purged, ...Array.from({ length: 30 }, (_, i) => `purged ${i}`))
    await engine.purgeQueue(purged)
    clock.advance(sweepGraceMs)
    await send(live, 'fresh 1', 'fresh 2')

    const reports = await Promise.all([run(), run()])
    expect(reports.every((r) => r.complete)).toBe(true)
    expect(await itemsIn(live)).toBe(2)
    expect(await itemsIn(purged)).toBe(0)
    expect(await pendingWork()).toEqual([])
    expect((await engine.receiveMessages(live, { maxNumberOfMessages: 10 })).map((m) => m.body).sort()).toEqual(['fresh 1', 'fresh 2'])
  })

  it('stops at its budget, and the next run continues where it stopped', async () => {
    const queue = await newQueue({ MessageRetentionPeriod: '60' })
    await send(queue, ...Array.from({ length: 10 }, (_, i) => `a${i}`))
    await send(queue, ...Array.from({ length: 10 }, (_, i) => `b${i}`))
    await send(queue, ...Array.from({ length: 5 }, (_, i) => `c${i}`))
    clock.advance(61_000)

    expect(await run({ budgetMs: 0, maxItems: 100 })).toMatchObject({ deleted: 0, complete: false })
    const first = await run({ budgetMs: 60_000, maxItems: 10 })
    expect(first).toMatchObject({ deleted: 10, complete: false, queuesSwept: 0 })
    expect(await itemsIn(queue)).toBe(15)
    const second = await run({ budgetMs: 60_000, maxItems: 10 })
    expect(second).toMatchObject({ deleted: 10, complete: false })
    expect(await itemsIn(queue)).toBe(5)
    const third = await run({ budgetMs: 60_000, maxItems: 10 })
    expect(third).toMatchObject({ deleted: 5, complete: true, queuesSwept: 1 })
    expect(await itemsIn(queue)).toBe(0)
  })
})
