/**
 * @module storage/sweep-store — the sweeper's requests: work items, pass positions, key pages, scans, batch deletes.
 *
 * Sweep pass item (queues table): where a resumable pass of the sweeper (engine/sweeper.ts) stopped; present only
 * while the pass is unfinished. No TTL.
 *
 * | attribute | type | meaning | written by |
 * |---|---|---|---|
 * | pk | S | `sweep` (keys.ts `sweepPassKey`), beside the work items | `putPass` |
 * | sk | S | `pass#queues` (live queues: expired messages) or `pass#scan` (the table scan for FIFO generations) | `putPass` |
 * | after | M | the last key the pass finished with: a queue item's key (`queues`), a messages-table key (`scan`); absent at the start | `putPass` |
 * | generations | L of M {queueId, gen} | `scan` only: the generations the pass serves, fixed at its start | `putPass` |
 *
 * Cost: 1 WRU a save, 0.5 RRU a read (`getPass`); `putPass(…, null)` deletes the item when the pass ends.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb'
import type { Queue } from '../model/queue.js'
import { batchWrite } from './batch-write.js'
import type { Db } from './dynamo.js'
import { accountOfQueueKey, generationPrefix, queueItemPrefix, sentBeforeBound, sweepPassKey, sweepWorkKey, sweepWorkPrefix } from './keys.js'
import { queueFromItem } from './queue-store.js'
import { sweepWorkOf, type SweepWork } from './sweep-work.js'
import type { TableNames } from './tables.js'

export interface SweepStore {
  db: Db
  tables: TableNames
}

/** A DynamoDB primary key as read; opaque outside storage. */
export type ItemKey = Record<string, unknown>

export interface KeyPage {
  keys: ItemKey[]
  /** Where the next page starts; absent when the read reached the end. */
  lastKey?: ItemKey
}

export type SweepPass = 'queues' | 'scan'

export interface PassState {
  /** The last key the pass finished with; absent at its start. */
  after?: ItemKey
  /** The generations a table scan serves, fixed for the whole pass. */
  generations?: GenerationRef[]
}

export type GenerationRef = Pick<SweepWork, 'queueId' | 'gen'>

/** One page of pending work items, in key order. Query on the `sweep` partition. Cost: 0.5 RRU per 4 KB. */
export async function listSweepWork(store: SweepStore, after?: ItemKey): Promise<{ works: SweepWork[]; lastKey?: ItemKey }> {
  const page = await store.db.send(new QueryCommand({
    TableName: store.tables.queues,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': sweepWorkPrefix.pk, ':prefix': sweepWorkPrefix.skPrefix },
    ExclusiveStartKey: after,
  }))
  return { works: (page.Items ?? []).map(sweepWorkOf), lastKey: page.LastEvaluatedKey }
}

/** The generation is clean: drop its work item. Unconditional, so two runs finishing it is harmless. Cost: 1 WRU. */
export async function deleteSweepWork(store: SweepStore, work: GenerationRef) {
  await store.db.send(new DeleteCommand({ TableName: store.tables.queues, Key: sweepWorkKey(work.queueId, work.gen) }))
}

/** A pass's saved position, or null between passes. Cost: 0.5 RRU. */
export async function getPass(store: SweepStore, pass: SweepPass): Promise<PassState | null> {
  const { Item } = await store.db.send(new GetCommand({ TableName: store.tables.queues, Key: sweepPassKey(pass) }))
  if (!Item) return null
  return { after: Item.after as ItemKey | undefined, generations: Item.generations as GenerationRef[] | undefined }
}

/**
 * Save a pass's position, or end the pass (null). Last writer wins: every saved position was reached by reading
 * contiguously from its pass's start, so a lost update only repeats work. Cost: 1 WRU.
 */
export async function putPass(store: SweepStore, pass: SweepPass, state: PassState | null) {
  const Key = sweepPassKey(pass)
  if (state) await store.db.send(new PutCommand({ TableName: store.tables.queues, Item: { ...Key, ...state } }))
  else await store.db.send(new DeleteCommand({ TableName: store.tables.queues, Key }))
}

/**
 * One page of the keys in a messages partition, in key order; with `sentBefore`, only message and chunk items
 * sent before that time. Reads are billed on whole items (0.5 RRU per 4 KB) whatever the projection.
 */
export async function partitionKeys(store: SweepStore, pk: string, limit: number, options: { sentBefore?: number; after?: ItemKey } = {}): Promise<KeyPage> {
  const bounded = options.sentBefore !== undefined
  const page = await store.db.send(new QueryCommand({
    TableName: store.tables.messages,
    KeyConditionExpression: bounded ? 'pk = :pk AND sk < :before' : 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk, ...(bounded ? { ':before': sentBeforeBound(options.sentBefore!) } : {}) },
    ProjectionExpression: 'pk, sk',
    ExclusiveStartKey: options.after,
    Limit: limit,
  }))
  return { keys: page.Items ?? [], lastKey: page.LastEvaluatedKey }
}

/**
 * One page of a scan of the messages table for items of the given generations (partition key starting with
 * `<queueId>#<gen>#`), whatever their layout. The filter does not reduce the bill: every item scanned is read
 * (0.5 RRU per 4 KB).
 */
export async function scanGenerationKeys(store: SweepStore, generations: GenerationRef[], limit: number, after?: ItemKey): Promise<KeyPage> {
  const values = Object.fromEntries(generations.map((g, i) => [`:p${i}`, generationPrefix(g.queueId, g.gen)]))
  const page = await store.db.send(new ScanCommand({
    TableName: store.tables.messages,
    FilterExpression: Object.keys(values).map((name) => `begins_with(pk, ${name})`).join(' OR '),
    ExpressionAttributeValues: values,
    ProjectionExpression: 'pk, sk',
    ExclusiveStartKey: after,
    Limit: limit,
  }))
  return { keys: page.Items ?? [], lastKey: page.LastEvaluatedKey }
}

/**
 * One page of live queues in table order (Scan: every other item of the queues table — tombstones, counts, move
 * tasks, sweep items, the stream lease — is read too, then filtered out).
 * Cost: 0.5 RRU per 4 KB scanned.
 */
export async function scanQueues(store: SweepStore, limit: number, after?: ItemKey): Promise<{ queues: Array<{ queue: Queue; key: ItemKey }>; lastKey?: ItemKey }> {
  const page = await store.db.send(new ScanCommand({
    TableName: store.tables.queues,
    FilterExpression: 'begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':prefix': queueItemPrefix },
    ExclusiveStartKey: after,
    Limit: limit,
  }))
  const queues = (page.Items ?? []).map((item) => ({
    queue: queueFromItem(accountOfQueueKey(item.pk as string), item),
    key: { pk: item.pk, sk: item.sk },
  }))
  return { queues, lastKey: page.LastEvaluatedKey }
}

/**
 * Delete items by key (`batchWrite`). Unconditional: these are
 * garbage, and deleting one twice (two runs at once) is harmless. Cost: 1 WRU per KB each, 1 for an absent item.
 * Returns how many were deleted; the rest (still throttled after retries) are left for the next run.
 */
export async function deleteItems(store: SweepStore, keys: ItemKey[]): Promise<number> {
  const requests = keys.map((Key) => ({ DeleteRequest: { Key } }))
  return keys.length - (await batchWrite(store.db, store.tables.messages, requests, { replay: true })).length
}
