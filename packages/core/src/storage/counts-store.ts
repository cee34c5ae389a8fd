/**
 * @module storage/counts-store — the running counts item of a queue's message generation (queues table).
 *
 * Counts item: one per queue generation, standard or FIFO, kept from the messages table's stream. The entries a
 * message or group item stands for are engine/count-changes.ts's; `countsFromItem` there reads them back.
 *
 * | attribute | type | meaning | written by |
 * |---|---|---|---|
 * | pk | S | `counts#<queueId>#<gen>` (keys.ts `countsKey`) | `addToCounts` |
 * | sk | S | `#` | `addToCounts` |
 * | n | N | live messages: 1 per standard message item, a FIFO group item's `n` | `addToCounts` (ADD) |
 * | s<second> | N | standard messages sent up to that epoch second (buckets about 1/32 of the retention wide); a bucket past the retention counts as expired | `addToCounts` (ADD; REMOVE once ended and 0) |
 * | d<second> | N | messages delayed until that second (1 s buckets; 60 s for spans over 15 min) | `addToCounts` (ADD; REMOVE once ended) |
 * | i<second> | N | messages in flight until that second (buckets as `d`) | `addToCounts` (ADD; REMOVE once ended) |
 * | ttl | N | epoch seconds: 15 days after the last write, longer than any retention | `addToCounts` |
 * | sh, sq | S | shard id and sequence number of the last stream record applied, written by the local follower only: a reader adds the records after it (storage/unapplied-changes.ts) | `addToCounts` |
 *
 * Written by `CountsFeed.apply` (engine/counts-feed.ts) for each stream batch: deployed from the counts Lambda
 * (functions/counts.ts), locally from the stream follower (storage/message-stream.ts). One update per queue
 * generation per batch, never one per message. Cost: the item's size in WRU per update (about 1 for a queue at
 * rest; each entry is a few bytes); GetQueueAttributes reads it once, 0.5 RRU (1 when consistent).
 */
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
