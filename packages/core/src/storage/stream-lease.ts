/**
 * @module storage/stream-lease — the lease that lets one process follow a messages table's stream, with its per-shard checkpoints.
 *
 * Stream lease item (queues table): one per messages table, used where a local process follows the stream
 * (storage/message-stream.ts; deployed, a Lambda event-source mapping does and this item is never written). No TTL.
 *
 * | attribute | type | meaning | written by |
 * |---|---|---|---|
 * | pk | S | `stream-lease` (keys.ts `streamLeaseKey`) | `acquireStreamLease` |
 * | sk | S | the messages table's name | `acquireStreamLease` |
 * | owner | S | id of the process holding (or last holding) the lease | `acquireStreamLease` |
 * | until | N | wall-clock ms the lease lasts to; 0 = given up | `acquireStreamLease`, `renewStreamLease`, `releaseStreamLease` |
 * | cp | M (S → S) | stream shard id → sequence number of the last record applied from it | `acquireStreamLease` (creates it empty), `saveStreamCheckpoint` |
 *
 * Read by `readStreamCheckpoints` (storage/unapplied-changes.ts, before a counts item). Cost: 1 WRU a write, as
 * each function states, while `cp` stays under 1 KB: it gains an entry per stream shard read, and loses those of
 * shards the stream no longer lists (`forgetStreamCheckpoints`).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { Db } from './dynamo.js'
import { unlessConditionFails } from './dynamo-errors.js'
import { streamLeaseKey } from './keys.js'
import type { TableNames } from './tables.js'

export interface LeaseStore {
  db: Db
  tables: TableNames
}

/** Shard id → sequence number of the last stream record applied from that shard. */
export type Checkpoints = Record<string, string>

const update = (store: LeaseStore, input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>) =>
  store.db.send(new UpdateCommand({ TableName: store.tables.queues, Key: streamLeaseKey(store.tables.messages), ...input }))

/** The checkpoints as they stand (consistent: 1 RRU); empty when no process ever followed the stream. */
export async function readStreamCheckpoints(store: LeaseStore): Promise<Checkpoints> {
  const { Item } = await store.db.send(new GetCommand({ TableName: store.tables.queues, Key: streamLeaseKey(store.tables.messages), ConsistentRead: true }))
  return (Item?.cp ?? {}) as Checkpoints
}

/**
 * Take the lease for `owner`. `now` is wall-clock time: the lease is infrastructure shared by processes, not queue semantics.
 * Condition: no lease item, or it expired (until < :now), or it is already ours  (fails → another process holds it)
 * Writes: owner = :me, until = :now + leaseMs; cp created empty when absent.  Cost: 1 WRU.
 * Returns: the checkpoints to resume from, or null when another process holds the lease.
 */
export async function acquireStreamLease(store: LeaseStore, owner: string, now: number, leaseMs: number): Promise<Checkpoints | null> {
  return unlessConditionFails(async () => {
    const { Attributes } = await update(store, {
      UpdateExpression: 'SET #owner = :me, #until = :until, cp = if_not_exists(cp, :empty)',
      ConditionExpression: 'attribute_not_exists(pk) OR #until < :now OR #owner = :me',
      ExpressionAttributeNames: { '#owner': 'owner', '#until': 'until' },
      ExpressionAttributeValues: { ':me': owner, ':until': now + leaseMs, ':now': now, ':empty': {} },
      ReturnValues: 'ALL_NEW',
    })
    return (Attributes?.cp ?? {}) as Checkpoints
  }, null)
}

/**
 * Extend a lease we hold. Only `owner = :me` is checked, not expiry: if ours lapsed and nobody took it, nothing
 * moved the checkpoints, so keeping it is safe; once another owner wrote the item, ours is gone for good.
 * Writes: until = :now + leaseMs.  Cost: 1 WRU.
 * Returns: false when the lease is no longer ours (stop following).
 */
export async function renewStreamLease(store: LeaseStore, owner: string, now: number, leaseMs: number): Promise<boolean> {
  return conditionalOnOwner(() => update(store, {
    UpdateExpression: 'SET #until = :until',
    ConditionExpression: '#owner = :me',
    ExpressionAttributeNames: { '#owner': 'owner', '#until': 'until' },
    ExpressionAttributeValues: { ':me': owner, ':until': now + leaseMs },
  }))
}

/**
 * Record that every record of `shardId` up to `sequenceNumber` was applied.
 * Condition: owner = :me  (fails → the lease was lost; the new holder resumes from the previous checkpoint)
 * Writes: cp.<shardId> = :seq.  Cost: 1 WRU.
 * Returns: false when the lease is no longer ours.
 */
export async function saveStreamCheckpoint(store: LeaseStore, owner: string, shardId: string, sequenceNumber: string): Promise<boolean> {
  return conditionalOnOwner(() => update(store, {
    UpdateExpression: 'SET cp.#shard = :seq',
    ConditionExpression: '#owner = :me',
    ExpressionAttributeNames: { '#owner': 'owner', '#shard': shardId },
    ExpressionAttributeValues: { ':me': owner, ':seq': sequenceNumber },
  }))
}

/** Shards forgotten per write: each adds ~80 bytes to the expression, which DynamoDB caps at 4 KB. */
const forgottenPerWrite = 40

/**
 * Drop the checkpoints of `shardIds`: shards the stream no longer lists (trimmed after its 24 hours), whose records
 * are gone. Without this `cp` would keep an entry per shard ever read (on AWS a shard ends every few hours) and every
 * checkpoint write would bill the whole item.
 * Condition: owner = :me  Writes: REMOVE cp.<shardId>, … (up to 40 a write).  Cost: 1 WRU a write.
 * Returns: false when the lease is no longer ours.
 */
export async function forgetStreamCheckpoints(store: LeaseStore, owner: string, shardIds: string[]): Promise<boolean> {
  for (let start = 0; start < shardIds.length; start += forgottenPerWrite) {
    const ids = shardIds.slice(start, start + forgottenPerWrite)
    const ours = await conditionalOnOwner(() => update(store, {
      UpdateExpression: `REMOVE ${ids.map((_, i) => `cp.#s${i}`).join(', ')}`,
      ConditionExpression: '#owner = :me',
      ExpressionAttributeNames: { '#owner': 'owner', ...Object.fromEntries(ids.map((id, i) => [`#s${i}`, id])) },
      ExpressionAttributeValues: { ':me': owner },
    }))
    if (!ours) return false
  }
  return true
}

/** Give the lease up (until = 0), so another process takes over within its retry interval instead of waiting out the lease. Cost: 1 WRU. */
export async function releaseStreamLease(store: LeaseStore, owner: string): Promise<void> {
  await conditionalOnOwner(() => update(store, {
    UpdateExpression: 'SET #until = :zero',
    ConditionExpression: '#owner = :me',
    ExpressionAttributeNames: { '#owner': 'owner', '#until': 'until' },
    ExpressionAttributeValues: { ':me': owner, ':zero': 0 },
  }))
}

async function conditionalOnOwner(send: () => Promise<unknown>): Promise<boolean> {
  return unlessConditionFails(async () => {
    await send()
    return true
  }, false)
}
