/** @module storage/counts-store — the running counts item of a standard queue's message generation (queues table). */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { Db } from './dynamo.js'
import { countsKey } from './keys.js'

/** A counts item outlives the longest retention (14 days) after its last change, then TTL removes it. */
const keepSeconds = 15 * 86_400

/** The last stream record a counts item holds: a reader adds only the records after it (storage/unapplied-changes.ts). */
export interface AppliedPosition {
  shard: string
  seq: string
}

/** Where a counts item says it has applied the stream up to, when a local follower wrote it. */
export function appliedPosition(item: Record<string, unknown> | null): AppliedPosition | undefined {
  return typeof item?.sh === 'string' && typeof item.sq === 'string' ? { shard: item.sh, seq: item.sq } : undefined
}

/**
 * Adds the entries (ADD is commutative: many writers need no coordination), removes spent ones and returns the
 * item as it now stands; `applied` records the batch's last stream record. Cost: the item's size in WRU, about 1
 * for a queue at rest.
 */
export async function addToCounts(
  db: Db,
  table: string,
  target: { queueId: string; gen: number; entries: Map<string, number>; spent: string[]; now: number; applied?: AppliedPosition },
): Promise<Record<string, unknown>> {
  const names: Record<string, string> = { '#ttl': 'ttl' }
  const values: Record<string, unknown> = { ':ttl': Math.ceil(target.now / 1000) + keepSeconds }
  const sets = ['#ttl = :ttl']
  if (target.applied) {
    sets.push('sh = :sh', 'sq = :sq')
    Object.assign(values, { ':sh': target.applied.shard, ':sq': target.applied.seq })
  }
  const adds = [...target.entries].map(([entry, value], i) => {
    names[`#a${i}`] = entry
    values[`:a${i}`] = value
    return `#a${i} :a${i}`
  })
  const removes = target.spent.filter((entry) => !target.entries.has(entry)).map((entry, i) => {
    names[`#r${i}`] = entry
    return `#r${i}`
  })
  const { Attributes } = await db.send(new UpdateCommand({
    TableName: table,
    Key: countsKey(target.queueId, target.gen),
    UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValues: 'ALL_NEW',
  }))
  return Attributes ?? {}
}

/** Cost: 0.5 RRU per 4 KB (eventually consistent), whatever the queue's size; 1 when `consistent`. */
export async function getCounts(db: Db, table: string, queueId: string, gen: number, consistent = false): Promise<Record<string, unknown> | null> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: countsKey(queueId, gen), ConsistentRead: consistent }))
  return Item ?? null
}
