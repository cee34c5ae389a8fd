/**
 * @module storage/peek-store — read-only looks into a queue's partitions for the operator console: a page of a
 * standard shard's messages in send order, a page of a FIFO queue's `ready` index entries, and the oldest live
 * message of a shard. Nothing here writes: no claim, no receive count, no visibility changes.
 */
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { StoredMessage } from '../model/message.js'
import { batchWrite } from './batch-write.js'
import type { Db } from './dynamo.js'
import { unlessConditionFails } from './dynamo-errors.js'
import { chunkCount, chunkKeys, decodeMessage } from './message-item.js'

export interface PeekStore {
  db: Db
  table: string
}

export type PeekOrder = 'oldest' | 'newest'

/** A chunk item's key is its message's key, `#c`, then its index (storage/message-item.ts). */
const chunkOwner = (sk: string) => {
  const at = sk.lastIndexOf('#c')
  return at > 0 && /^\d+$/.test(sk.slice(at + 2)) ? sk.slice(0, at) : null
}

export interface ShardPage {
  /** In the order read; each message's sort key is where a next page continues. */
  messages: StoredMessage[]
  /** Nothing lies beyond the messages returned. */
  exhausted: boolean
}

/**
 * Up to `limit` messages of one standard shard partition, in send order (`oldest`) or its reverse, starting after
 * the sort key `after` (exclusive, in the direction read). Chunk items of big bodies sort next to their message and
 * are read with it. Eventually consistent: 0.5 RRU per 4 KB read; messages and their chunks only, never more than
 * the page (plus one message's chunks).
 */
export async function readShardPage(
  store: PeekStore, pk: string, options: { order: PeekOrder; limit: number; after?: string },
): Promise<ShardPage> {
  const forward = options.order === 'oldest'
  const raw: Array<Record<string, unknown>> = []
  let startKey: Record<string, unknown> | undefined
  let messages = 0
  let exhausted = false
  do {
    const condition = options.after === undefined ? 'pk = :pk' : `pk = :pk AND sk ${forward ? '>' : '<'} :after`
    const page = await store.db.send(new QueryCommand({
      TableName: store.table,
      KeyConditionExpression: condition,
      ExpressionAttributeValues: { ':pk': pk, ...(options.after === undefined ? {} : { ':after': options.after }) },
      ScanIndexForward: forward,
      ExclusiveStartKey: startKey,
      Limit: options.limit - messages + 1,
    }))
    for (const item of page.Items ?? []) {
      raw.push(item)
      if (chunkOwner(item.sk as string) === null) messages++
    }
    startKey = page.LastEvaluatedKey
    if (!startKey) exhausted = true
    // forward, the last message's chunks follow it: read on until they are in
  } while (startKey && (messages < options.limit || (forward && lastNeedsChunks(raw))))
  return { messages: assemble(raw, forward).slice(0, options.limit), exhausted: exhausted && messages <= options.limit }
}

/** Whether the last message read (forward) still misses chunk items. */
function lastNeedsChunks(raw: Array<Record<string, unknown>>) {
  let chunks = 0
  for (let i = raw.length - 1; i >= 0; i--) {
    const sk = raw[i]!.sk as string
    if (chunkOwner(sk) === null) return chunkCount(raw[i]!) > chunks
    chunks++
  }
  return false
}

/** Message items with their chunk payloads; a message whose chunks were not all read is given with its body cut. */
function assemble(raw: Array<Record<string, unknown>>, forward: boolean): StoredMessage[] {
  const chunks = new Map<string, Map<number, Uint8Array>>()
  for (const item of raw) {
    const owner = chunkOwner(item.sk as string)
    if (owner === null) continue
    const index = Number((item.sk as string).slice(owner.length + 2))
    if (!chunks.has(owner)) chunks.set(owner, new Map())
    chunks.get(owner)!.set(index, item.c as Uint8Array)
  }
  const items = raw.filter((item) => chunkOwner(item.sk as string) === null && item.tok !== undefined)
  if (!forward) items.reverse()
  const messages: StoredMessage[] = []
  for (const item of items) {
    const own = chunks.get(item.sk as string) ?? new Map<number, Uint8Array>()
    const payloads = chunkKeys(item as { pk: string; sk: string; nc?: number }).map((_, i) => own.get(i + 1))
    if (payloads.some((p) => p === undefined)) continue // chunks not read (a page edge): the next page has it whole
    try {
      messages.push(decodeMessage(item, payloads as Uint8Array[]))
    } catch {
      // a damaged item is left for the sweeper; a peek shows what it can
    }
  }
  return forward ? messages : messages.reverse()
}

/**
 * The oldest live message of a standard shard: the first message item (key order is send order) that has not
 * passed its retention. Keys of messages sent before `sentAfter` are skipped by the key condition (they are past
 * retention whatever happened to them). Reads from the first live item on: typically one item, 0.5 RRU.
 */
export async function oldestInShard(store: PeekStore, pk: string, sentAfterKey: string, now: number): Promise<{ sentAt: number; sk: string } | null> {
  let startKey: Record<string, unknown> | undefined
  for (let pages = 0; pages < 5; pages++) {
    const page = await store.db.send(new QueryCommand({
      TableName: store.table,
      KeyConditionExpression: 'pk = :pk AND sk >= :from',
      FilterExpression: 'exp > :now',
      ProjectionExpression: 'sk, sa, exp',
      ExpressionAttributeValues: { ':pk': pk, ':from': sentAfterKey, ':now': now },
      ExclusiveStartKey: startKey,
      Limit: 5,
    }))
    const first = page.Items?.[0]
    if (first) return { sentAt: first.sa as number, sk: first.sk as string }
    startKey = page.LastEvaluatedKey
    if (!startKey) return null
  }
  return null
}

/** An entry of the `ready` index: a FIFO group (its partition) and when it is next receivable. */
export interface ReadyEntry {
  pk: string
  ready: number
}

/**
 * Up to `limit` entries of one partition of the `ready` index, earliest (`oldest`) or latest first, continuing
 * after `after` (exclusive). Keys only: 0.5 RRU per 4 KB (about 40 entries).
 */
export async function readReadyPage(
  store: PeekStore, rq: string, options: { order: PeekOrder; limit: number; after?: ReadyEntry },
): Promise<{ entries: ReadyEntry[]; exhausted: boolean }> {
  const page = await store.db.send(new QueryCommand({
    TableName: store.table,
    IndexName: 'ready',
    KeyConditionExpression: 'rq = :rq',
    ExpressionAttributeValues: { ':rq': rq },
    ScanIndexForward: options.order === 'oldest',
    ...(options.after ? { ExclusiveStartKey: { rq, ready: options.after.ready, pk: options.after.pk, sk: '#' } } : {}),
    Limit: options.limit,
  }))
  const entries = (page.Items ?? []).map((item) => ({ pk: item.pk as string, ready: item.ready as number }))
  return { entries, exhausted: !page.LastEvaluatedKey }
}

/**
 * Whether any item of partition `pk` sorts strictly between two sort keys (one read of at most one item): a FIFO
 * message is the first unreceived of its group when none lies between the last received one and it.
 */
export async function anyBetween(store: PeekStore, pk: string, after: string, before: string): Promise<boolean> {
  const page = await store.db.send(new QueryCommand({
    TableName: store.table,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :after AND :before',
    ExpressionAttributeValues: { ':pk': pk, ':after': after, ':before': before },
    ProjectionExpression: 'sk',
    ConsistentRead: true,
    Limit: 3,
  }))
  return (page.Items ?? []).some((item) => item.sk !== after && item.sk !== before)
}

/**
 * Deletes one standard message item (and its chunks) named by the console. Condition: attribute_exists(tok), so a
 * key naming a chunk item deletes nothing. Returns false when there was no such message. Cost: 1 WRU per KB.
 */
export async function deleteMessageAt(store: PeekStore, key: { pk: string; sk: string }): Promise<boolean> {
  const deleted = await unlessConditionFails(async () => {
    const result = await store.db.send(new DeleteCommand({
      TableName: store.table, Key: key, ConditionExpression: 'attribute_exists(tok)', ReturnValues: 'ALL_OLD',
    }))
    return { old: result.Attributes }
  }, null)
  if (!deleted) return false
  const { old } = deleted
  if (old && chunkCount(old) > 0) {
    const chunks = chunkKeys(old as { pk: string; sk: string; nc?: number }).map((Key) => ({ DeleteRequest: { Key } }))
    await batchWrite(store.db, store.table, chunks, { replay: true })
  }
  return true
}
