/** Following a messages table's stream on DynamoDB Local: changes in order, one follower at a time, checkpoints across followers. */
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { createDb, ensureTables, tableNames, type TableNames } from '../../packages/core/src/index.js'
import { followMessageStream, type StreamFollower } from '../../packages/core/src/storage/message-stream.js'
import {
  acquireStreamLease, forgetStreamCheckpoints, readStreamCheckpoints, releaseStreamLease, saveStreamCheckpoint,
} from '../../packages/core/src/storage/stream-lease.js'
import type { StreamChange } from '../../packages/core/src/storage/stream-records.js'

const endpoint = inject('dynamoEndpoint')
const db = createDb({ endpoint, region: 'us-east-1' })
const leaseMs = 1_500

let tables: TableNames
let followers: StreamFollower[]

beforeEach(async () => {
  // the run's server already follows the `dqs-test` tables' stream: each test gets tables (and a lease) of its own
  tables = tableNames(`dqs-stream-test-${randomBytes(4).toString('hex')}`)
  await ensureTables(db, tables)
  followers = []
})

afterEach(async () => {
  await Promise.all(followers.map((f) => f.close()))
})

/** A follower that records what it applies; `hook` runs inside apply, before the changes count as applied. */
function follow(owner: string, hook?: (changes: StreamChange[]) => Promise<void> | void) {
  const applied: StreamChange[] = []
  const errors: unknown[] = []
  const follower = followMessageStream({
    endpoint, region: 'us-east-1', db, tables, owner, leaseMs, pollMs: 50,
    onError: (error) => errors.push(error),
    apply: async (changes) => {
      await hook?.(changes)
      applied.push(...changes)
    },
  })
  followers.push(follower)
  return { follower, applied, errors, keys: () => applied.map((c) => (c.newImage ?? c.oldImage)!.sk) }
}

const put = (sk: string, v = 1) => db.send(new PutCommand({ TableName: tables.messages, Item: { pk: 'x', sk, v } }))
const putAll = async (from: number, to: number) => { for (let i = from; i <= to; i++) await put(String(i).padStart(3, '0')) }
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(3, '0'))
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(condition: () => boolean, timeoutMs = 8_000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await pause(20)
  }
}

describe('followMessageStream', () => {
  it('delivers INSERT, MODIFY and REMOVE in order, with unmarshalled old and new images', async () => {
    const a = follow('a')
    await put('1', 1)
    await db.send(new UpdateCommand({ TableName: tables.messages, Key: { pk: 'x', sk: '1' }, UpdateExpression: 'SET v = :v, tags = :t', ExpressionAttributeValues: { ':v': 2, ':t': ['p', 'q'] } }))
    await db.send(new DeleteCommand({ TableName: tables.messages, Key: { pk: 'x', sk: '1' } }))
    await until(() => a.applied.length >= 3)
    expect(a.applied).toStrictEqual([
      { eventName: 'INSERT', newImage: { pk: 'x', sk: '1', v: 1 } },
      { eventName: 'MODIFY', oldImage: { pk: 'x', sk: '1', v: 1 }, newImage: { pk: 'x', sk: '1', v: 2, tags: ['p', 'q'] } },
      { eventName: 'REMOVE', oldImage: { pk: 'x', sk: '1', v: 2, tags: ['p', 'q'] } },
    ])
    expect(a.errors).toEqual([])
  })

  it('reads empty maps back, at the top and nested (a FIFO group item has them)', async () => {
    const a = follow('a')
    const item = { pk: 'x', sk: 'g', rx: {}, bat: { nested: {} }, list: [{}, 1] }
    await db.send(new PutCommand({ TableName: tables.messages, Item: item }))
    await until(() => a.applied.length >= 1)
    expect(a.applied).toStrictEqual([{ eventName: 'INSERT', newImage: item }])
    expect(a.errors).toEqual([])
  })

  it('lets only one of two followers apply, and applies every change once', async () => {
    const a = follow('a')
    const b = follow('b')
    await putAll(1, 20)
    await until(() => a.applied.length + b.applied.length >= 20)
    await pause(leaseMs) // room for a second, wrongly running follower to apply the same changes too
    const [holder, other] = a.applied.length > 0 ? [a, b] : [b, a]
    expect(other.applied).toEqual([])
    expect(holder.keys()).toEqual(range(1, 20))
  })

  it('hands over to the other follower when the holder closes, continuing after its checkpoint', async () => {
    let applying = false
    // a slow apply, so the close below lands while a batch is being applied
    const slow = async () => { applying = true; await pause(200); applying = false }
    const a = follow('a', slow)
    const b = follow('b', slow)
    await putAll(1, 10)
    await until(() => a.applied.length + b.applied.length >= 10)
    const [holder, other] = a.applied.length > 0 ? [a, b] : [b, a]
    await putAll(11, 20)
    await until(() => applying)
    await holder.follower.close()
    expect(applying).toBe(false) // close waited for the apply in progress
    await putAll(21, 30)
    await until(() => other.keys().includes('030'))
    expect(other.applied.length).toBeGreaterThan(0)
    expect([...holder.keys(), ...other.keys()]).toEqual(range(1, 30))
  })

  it('gives the changes of a failed apply again, and reports the failure', async () => {
    await putAll(1, 3)
    const offered: string[][] = []
    const a = follow('a', (changes) => {
      offered.push(changes.map((c) => c.newImage!.sk as string))
      if (offered.length === 1) throw new Error('apply failed once')
    })
    await until(() => a.applied.length >= 3)
    expect(offered[0]).toEqual(range(1, 3))
    expect(offered[1]).toEqual(offered[0])
    expect(a.keys()).toEqual(range(1, 3))
    expect(a.errors).toMatchObject([{ message: 'apply failed once' }])
  })

  it('resumes a later follower from the checkpoint, not from the start of the stream', async () => {
    const a = follow('a')
    await putAll(1, 5)
    await until(() => a.applied.length >= 5)
    await a.follower.close()
    await putAll(6, 10)
    const c = follow('c')
    await put('999') // a marker: once it is applied, anything read before it has been too
    await until(() => c.keys().includes('999'))
    expect(c.keys()).toEqual([...range(6, 10), '999'])
    expect(a.keys()).toEqual(range(1, 5))
  })

  it('forgets the checkpoints of shards the stream no longer lists, and keeps its own', async () => {
    const store = { db, tables }
    // an earlier follower's checkpoints of shards long trimmed from the stream
    const trimmed = Array.from({ length: 45 }, (_, i) => `shardId-00000001700000000000-${String(i).padStart(8, '0')}`)
    expect(await acquireStreamLease(store, 'earlier', Date.now(), leaseMs)).toEqual({})
    for (const id of trimmed) expect(await saveStreamCheckpoint(store, 'earlier', id, '100000000000000000001')).toBe(true)
    await releaseStreamLease(store, 'earlier')
    const a = follow('a')
    await put('1')
    await until(() => a.applied.length >= 1)
    // the first listing forgets them; the apply's checkpoint lands after it
    let checkpoints = await readStreamCheckpoints(store)
    for (let deadline = Date.now() + 8_000; Date.now() < deadline && Object.keys(checkpoints).length !== 1;) {
      await pause(50)
      checkpoints = await readStreamCheckpoints(store)
    }
    expect(trimmed.filter((id) => id in checkpoints)).toEqual([])
    // what it keeps is its own shard's position: a later follower resumes from it
    expect(Object.keys(checkpoints)).toHaveLength(1)
    expect(a.errors).toEqual([])
  })

  it('forgets checkpoints only for the lease holder, 45 in more than one write', async () => {
    const store = { db, tables }
    const ids = Array.from({ length: 45 }, (_, i) => `shardId-00000001700000000000-${String(i).padStart(8, '0')}`)
    await acquireStreamLease(store, 'holder', Date.now(), 60_000)
    for (const id of [...ids, 'kept']) await saveStreamCheckpoint(store, 'holder', id, '7')
    expect(await forgetStreamCheckpoints(store, 'other', ids)).toBe(false)
    expect(Object.keys(await readStreamCheckpoints(store))).toHaveLength(46)
    expect(await forgetStreamCheckpoints(store, 'holder', ids)).toBe(true)
    expect(await readStreamCheckpoints(store)).toEqual({ kept: '7' })
  })
})
