/** @module storage/queue-store — queue items and tombstones in the queues table, one function per operation. */
import {
  GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import type { Queue } from '../model/queue.js'
import type { Db } from './dynamo.js'
import { cancellationReasons, unlessConditionFails } from './dynamo-errors.js'
import { queueKey, queuePrefix, tombstoneKey } from './keys.js'
import { sweepWorkItem } from './sweep-work.js'

export interface QueueStore {
  db: Db
  table: string
}

/**
 * Queue item (queues table): one per live queue. No TTL.
 *
 * | attribute | type | meaning | written by |
 * |---|---|---|---|
 * | pk | S | `acct#<accountId>` (keys.ts `queueKey`) | `putNewQueue` (CreateQueue) |
 * | sk | S | `q#<name>`: ListQueues queries a name prefix | `putNewQueue` |
 * | name | S | the queue's name | `putNewQueue` |
 * | id | S | random id (12 base64url characters): starts every message partition key, so a re-created queue never sees old messages; later writes condition on it | `putNewQueue` |
 * | fifo | BOOL | a FIFO queue | `putNewQueue` |
 * | attrs | M (S → S) | settable attributes as SQS reports them, defaults filled in (RedrivePolicy, RedriveAllowPolicy and Policy as JSON strings) | `putNewQueue`; `updateQueueSettings` (SetQueueAttributes, AddPermission, RemovePermission) |
 * | tags | M (S → S) | the queue's tags | `putNewQueue`; `updateQueueSettings` (TagQueue, UntagQueue) |
 * | createdAt | N | CreatedTimestamp (ms) | `putNewQueue` |
 * | modifiedAt | N | LastModifiedTimestamp (ms): attribute changes move it, tag changes do not | `putNewQueue`, `updateQueueSettings` |
 * | gen | N | purge generation (0 at creation): the second part of every message partition key | `putNewQueue`, `bumpGeneration` (PurgeQueue) |
 * | purgedAt | N | when the last purge started (ms); 0 = never purged | `putNewQueue`, `bumpGeneration` |
 * | shards | N | standard queues: message partitions; FIFO queues: `ready` index partitions. Fixed at creation (DQS_SHARDS, default 4) | `putNewQueue` |
 *
 * Removed by `deleteQueueItem` (DeleteQueue). Cost, as each function states: CreateQueue 2 × 2 WRU (transaction),
 * an attribute or tag change 1 WRU per KB, PurgeQueue 2 × (1 + 1), DeleteQueue 2 × 3. The item's size is driven
 * by `attrs` (a Policy can be long) and up to 50 tags. Instances cache it for about a second, so reads are rare.
 *
 * Tombstone item (queues table): what is left of a deleted queue, so CreateQueue of the name can answer
 * QueueDeletedRecently. Written by `deleteQueueItem`, in the transaction that removes the queue item; read only
 * by `putNewQueue`'s ConditionCheck. A later deletion of the same name overwrites it.
 *
 * | attribute | type | meaning | written by |
 * |---|---|---|---|
 * | pk | S | `acct#<accountId>` (keys.ts `tombstoneKey`) | `deleteQueueItem` |
 * | sk | S | `deleted#<name>` | `deleteQueueItem` |
 * | deletedAt | N | when the queue was deleted (ms); CreateQueue fails while it is within DQS_DELETED_QUEUE_COOLDOWN (60 s) | `deleteQueueItem` |
 * | queueId, gen, shards, fifo | S, N, N, BOOL | the deleted queue's id, last generation, shard count and kind (nothing reads them: the sweep work item carries the same) | `deleteQueueItem` |
 * | ttl | N | epoch seconds: 7 days after the deletion | `deleteQueueItem` |
 */
interface QueueItem {
  pk: string
  sk: string
  name: string
  id: string
  fifo: boolean
  attrs: Record<string, string>
  tags: Record<string, string>
  createdAt: number
  modifiedAt: number
  gen: number
  purgedAt: number
  shards: number
}

function toItem(queue: Queue): QueueItem {
  return {
    ...queueKey(queue.accountId, queue.name),
    name: queue.name,
    id: queue.id,
    fifo: queue.fifo,
    attrs: queue.attributes,
    tags: queue.tags,
    createdAt: queue.createdAt,
    modifiedAt: queue.modifiedAt,
    gen: queue.gen,
    purgedAt: queue.purgedAt,
    shards: queue.shards,
  }
}

export function queueFromItem(accountId: string, item: Record<string, unknown>): Queue {
  const i = item as unknown as QueueItem
  return {
    accountId, name: i.name, id: i.id, fifo: i.fifo, attributes: i.attrs ?? {}, tags: i.tags ?? {},
    createdAt: i.createdAt, modifiedAt: i.modifiedAt, gen: i.gen, purgedAt: i.purgedAt, shards: i.shards,
  }
}

/** Read one queue by account and name. Eventually consistent is enough: callers cache for ~1 s anyway. */
export async function getQueueItem(store: QueueStore, accountId: string, name: string, consistent = false) {
  const { Item } = await store.db.send(new GetCommand({ TableName: store.table, Key: queueKey(accountId, name), ConsistentRead: consistent }))
  return Item ? queueFromItem(accountId, Item) : null
}

/**
 * Create a queue unless one of that name exists or was deleted within the cooldown.
 * Transaction: ConditionCheck tombstone (absent or older than cooldown) + Put queue (absent). Cost: 2 × 2 WRU.
 * Returns 'created', 'exists' or 'deleted-recently'.
 */
export async function putNewQueue(store: QueueStore, queue: Queue, deletedBefore: number) {
  try {
    await store.db.send(new TransactWriteCommand({
      TransactItems: [
        {
          ConditionCheck: {
            TableName: store.table,
            Key: tombstoneKey(queue.accountId, queue.name),
            ConditionExpression: 'attribute_not_exists(pk) OR deletedAt < :before',
            ExpressionAttributeValues: { ':before': deletedBefore },
          },
        },
        { Put: { TableName: store.table, Item: toItem(queue), ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    }))
    return 'created' as const
  } catch (error) {
    const reasons = cancellationReasons(error)
    if (!reasons) throw error
    if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'exists' as const
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'deleted-recently' as const
    throw error
  }
}

/** Queues of an account whose names start with a prefix, in name order, one page. */
export async function queryQueues(store: QueueStore, accountId: string, namePrefix: string, limit: number, after?: string) {
  const { pk, skPrefix } = queuePrefix(accountId, namePrefix)
  const queues: Queue[] = []
  let startKey: Record<string, unknown> | undefined = after ? queueKey(accountId, after) : undefined
  do {
    const page = await store.db.send(new QueryCommand({
      TableName: store.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      ExclusiveStartKey: startKey,
      Limit: limit - queues.length + 1,
    }))
    for (const item of page.Items ?? []) queues.push(queueFromItem(accountId, item))
    startKey = page.LastEvaluatedKey
  } while (startKey && queues.length <= limit)
  return { queues: queues.slice(0, limit), more: queues.length > limit }
}

/**
 * Replace a queue's attributes and tags. Condition: the queue still has the id we read (not deleted and
 * re-created meanwhile). Cost: 1 WRU per KB. Returns false when the queue is gone.
 */
export async function updateQueueSettings(store: QueueStore, queue: Queue) {
  return unlessConditionFails(async () => {
    await store.db.send(new UpdateCommand({
      TableName: store.table,
      Key: queueKey(queue.accountId, queue.name),
      UpdateExpression: 'SET attrs = :attrs, tags = :tags, modifiedAt = :modifiedAt',
      ConditionExpression: 'id = :id',
      ExpressionAttributeValues: { ':attrs': queue.attributes, ':tags': queue.tags, ':modifiedAt': queue.modifiedAt, ':id': queue.id },
    }))
    return true
  }, false)
}

/**
 * Start a new purge generation and record the old one for the sweeper.
 * Transaction: Update queue (cond same id, same generation, last purge older than the cooldown) + Put the old
 * generation's sweep work item. Cost: 2 × (1 + 1) WRU. Returns 'purged', 'too-soon' or 'gone'.
 */
export async function bumpGeneration(store: QueueStore, queue: Queue, now: number, cooldownMs: number): Promise<'purged' | 'too-soon' | 'gone'> {
  try {
    await store.db.send(new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: store.table,
            Key: queueKey(queue.accountId, queue.name),
            UpdateExpression: 'SET gen = :next, purgedAt = :now',
            ConditionExpression: 'id = :id AND gen = :gen AND (purgedAt <= :before OR purgedAt = :zero)',
            ExpressionAttributeValues: { ':next': queue.gen + 1, ':now': now, ':id': queue.id, ':gen': queue.gen, ':before': now - cooldownMs, ':zero': 0 },
          },
        },
        { Put: { TableName: store.table, Item: sweepWorkItem({ queueId: queue.id, gen: queue.gen, shards: queue.shards, fifo: queue.fifo, reason: 'purge', at: now }) } },
      ],
    }))
    return 'purged'
  } catch (error) {
    if (cancellationReasons(error)?.[0]?.Code !== 'ConditionalCheckFailed') throw error
    const current = await getQueueItem(store, queue.accountId, queue.name, true)
    if (current?.id !== queue.id) return 'gone'
    if (current.purgedAt !== 0 && current.purgedAt > now - cooldownMs) return 'too-soon'
    // our copy predates another instance's purge: purge the generation that is current now
    return bumpGeneration(store, current, now, cooldownMs)
  }
}

/**
 * Delete a queue, leave a tombstone (for QueueDeletedRecently) and record its last generation for the sweeper.
 * Transaction: Delete queue (cond same id and generation) + Put tombstone + Put sweep work item. Cost: 2 × 3 WRU.
 * A queue already gone is not an error (returns false).
 */
export async function deleteQueueItem(store: QueueStore, queue: Queue, now: number, tombstoneTtlSeconds: number): Promise<boolean> {
  try {
    await store.db.send(new TransactWriteCommand({
      TransactItems: [
        {
          Delete: {
            TableName: store.table,
            Key: queueKey(queue.accountId, queue.name),
            ConditionExpression: 'id = :id AND gen = :gen',
            ExpressionAttributeValues: { ':id': queue.id, ':gen': queue.gen },
          },
        },
        { Put: { TableName: store.table, Item: { ...tombstoneKey(queue.accountId, queue.name), deletedAt: now, queueId: queue.id, gen: queue.gen, shards: queue.shards, fifo: queue.fifo, ttl: tombstoneTtlSeconds } } },
        { Put: { TableName: store.table, Item: sweepWorkItem({ queueId: queue.id, gen: queue.gen, shards: queue.shards, fifo: queue.fifo, reason: 'delete', at: now }) } },
      ],
    }))
    return true
  } catch (error) {
    if (cancellationReasons(error)?.[0]?.Code !== 'ConditionalCheckFailed') throw error
    const current = await getQueueItem(store, queue.accountId, queue.name, true)
    // purged since our copy was read: delete the generation that is current now
    return current?.id === queue.id ? deleteQueueItem(store, current, now, tombstoneTtlSeconds) : false
  }
}
