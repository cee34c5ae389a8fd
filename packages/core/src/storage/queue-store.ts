/** @module storage/queue-store — queue items and tombstones in the queues table, one function per operation. */
import {
  GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import type { Queue } from '../model/queue.js'
import type { Db } from './dynamo.js'
import { cancellationReasons, isConditionFailure } from './dynamo-errors.js'
import { queueKey, queuePrefix, tombstoneKey } from './keys.js'

export interface QueueStore {
  db: Db
  table: string
}

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

function fromItem(accountId: string, item: Record<string, unknown>): Queue {
  const i = item as unknown as QueueItem
  return {
    accountId, name: i.name, id: i.id, fifo: i.fifo, attributes: i.attrs ?? {}, tags: i.tags ?? {},
    createdAt: i.createdAt, modifiedAt: i.modifiedAt, gen: i.gen, purgedAt: i.purgedAt, shards: i.shards,
  }
}

/** Read one queue by account and name. Eventually consistent is enough: callers cache for ~1 s anyway. */
export async function getQueueItem(store: QueueStore, accountId: string, name: string, consistent = false) {
  const { Item } = await store.db.send(new GetCommand({ TableName: store.table, Key: queueKey(accountId, name), ConsistentRead: consistent }))
  return Item ? fromItem(accountId, Item) : null
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
    for (const item of page.Items ?? []) queues.push(fromItem(accountId, item))
    startKey = page.LastEvaluatedKey
  } while (startKey && queues.length <= limit)
  return { queues: queues.slice(0, limit), more: queues.length > limit }
}

/**
 * Replace a queue's attributes and tags. Condition: the queue still has the id we read (not deleted and
 * re-created meanwhile). Cost: 1 WRU per KB. Returns false when the queue is gone.
 */
export async function updateQueueSettings(store: QueueStore, queue: Queue) {
  try {
    await store.db.send(new UpdateCommand({
      TableName: store.table,
      Key: queueKey(queue.accountId, queue.name),
      UpdateExpression: 'SET attrs = :attrs, tags = :tags, modifiedAt = :modifiedAt',
      ConditionExpression: 'id = :id',
      ExpressionAttributeValues: { ':attrs': queue.attributes, ':tags': queue.tags, ':modifiedAt': queue.modifiedAt, ':id': queue.id },
    }))
    return true
  } catch (error) {
    if (isConditionFailure(error)) return false
    throw error
  }
}

/**
 * Start a new purge generation. Condition: same queue id and the last purge is older than the cooldown.
 * Returns 'purged', 'too-soon' or 'gone'.
 */
export async function bumpGeneration(store: QueueStore, queue: Queue, now: number, cooldownMs: number) {
  try {
    await store.db.send(new UpdateCommand({
      TableName: store.table,
      Key: queueKey(queue.accountId, queue.name),
      UpdateExpression: 'SET gen = gen + :one, purgedAt = :now',
      ConditionExpression: 'id = :id AND (purgedAt <= :before OR purgedAt = :zero)',
      ExpressionAttributeValues: { ':one': 1, ':now': now, ':id': queue.id, ':before': now - cooldownMs, ':zero': 0 },
    }))
    return 'purged' as const
  } catch (error) {
    if (!isConditionFailure(error)) throw error
    const current = await getQueueItem(store, queue.accountId, queue.name, true)
    return current?.id === queue.id ? ('too-soon' as const) : ('gone' as const)
  }
}

/**
 * Delete a queue and leave a tombstone (for QueueDeletedRecently, and for the sweeper to find its messages).
 * Transaction: Delete queue (cond same id) + Put tombstone. A queue already gone is not an error.
 */
export async function deleteQueueItem(store: QueueStore, queue: Queue, now: number, tombstoneTtlSeconds: number) {
  try {
    await store.db.send(new TransactWriteCommand({
      TransactItems: [
        { Delete: { TableName: store.table, Key: queueKey(queue.accountId, queue.name), ConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': queue.id } } },
        { Put: { TableName: store.table, Item: { ...tombstoneKey(queue.accountId, queue.name), deletedAt: now, queueId: queue.id, gen: queue.gen, shards: queue.shards, fifo: queue.fifo, ttl: tombstoneTtlSeconds } } },
      ],
    }))
    return true
  } catch (error) {
    if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return false
    throw error
  }
}
