/** @module storage/message-store — standard-queue message items: put, find, claim, release, delete, move. */
import {
  BatchGetCommand, DeleteCommand, QueryCommand, TransactWriteCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import type { MessageState, StoredMessage } from '../model/message.js'
import { batchWrite } from './batch-write.js'
import type { Db } from './dynamo.js'
import { isConditionFailure } from './dynamo-errors.js'
import { sentBeforeBound } from './keys.js'
import { chunkCount, chunkKeys, decodeMessage, decodeState, type EncodedMessage } from './message-item.js'

export interface MessageStore {
  db: Db
  table: string
}

/**
 * Write new messages. Small ones go in BatchWriteItem calls (`batchWrite`), never replayed when their outcome is
 * unknown (`withoutReplay`: the send then fails with a retryable error and may leave a message its client will send
 * again, as SQS may); a message with chunk items is one transaction (its idempotency token makes the SDK's retries
 * safe), so it exists whole or not at all.
 * Cost: 1 WRU per KB per item. Returns the indexes that could not be written (never acknowledge those).
 */
export async function putMessages(store: MessageStore, messages: EncodedMessage[]): Promise<Set<number>> {
  const single = messages.map((m, i) => ({ m, i })).filter(({ m }) => m.chunks.length === 0)
  const requests = single.map(({ m }) => ({ PutRequest: { Item: m.item as unknown as Record<string, unknown> } }))
  const unwritten = await batchWrite(store.db, store.table, requests, { replay: false })
  const failed = new Set(unwritten.map((request) => single.find(({ m }) => m.item.sk === request.PutRequest.Item.sk)!.i))
  await Promise.all(messages.map(async (m, i) => {
    if (m.chunks.length === 0) return
    await store.db.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: store.table, Item: m.item as unknown as Record<string, unknown> } },
        ...m.chunks.map((chunk) => ({ Put: { TableName: store.table, Item: chunk } })),
      ],
    })).catch(() => failed.add(i))
  }))
  return failed
}

/** A message a receive may claim: its state as read, and the raw item (its body may still need chunks). */
export type Candidate = MessageState & { sentAt: number; raw: Record<string, unknown> }

export interface CandidatePage {
  candidates: Candidate[]
  lastKey?: Record<string, unknown>
}

/**
 * Find receivable messages in one shard, oldest first: `vis <= now AND exp > now` as a filter, so in-flight and
 * delayed items ahead of them are read and skipped (bounded by `limit` evaluated items per page).
 * Eventually consistent: a candidate is only a candidate; the claim's condition decides. Cost: 0.5 RRU per 4 KB read.
 * Chunks of big bodies are not loaded here (see `loadBodies`).
 */
export async function queryCandidates(
  store: MessageStore, pk: string, range: { now: number; sentAfter: number }, limit: number, startKey?: Record<string, unknown>,
): Promise<CandidatePage> {
  const page = await store.db.send(new QueryCommand({
    TableName: store.table,
    // keys start with the send time: messages past retention are not even read, whatever TTL has left behind
    KeyConditionExpression: 'pk = :pk AND sk >= :from',
    FilterExpression: 'vis <= :now AND exp > :now',
    ExpressionAttributeValues: { ':pk': pk, ':now': range.now, ':from': sentBeforeBound(range.sentAfter) },
    ExclusiveStartKey: startKey,
    Limit: limit,
  }))
  return { candidates: (page.Items ?? []).map((raw) => ({ ...decodeState(raw), raw })), lastKey: page.LastEvaluatedKey }
}

/** Decode raw message items, loading the chunks of big ones (BatchGetItem, consistent). */
export async function loadBodies(store: MessageStore, raw: Array<Record<string, unknown>>): Promise<StoredMessage[]> {
  const keys = raw.flatMap((item) => chunkKeys(item as { pk: string; sk: string; nc?: number }))
  const found = new Map<string, Uint8Array>()
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Array<Record<string, unknown>> = keys.slice(start, start + 100)
    while (pending.length) {
      const result = await store.db.send(new BatchGetCommand({ RequestItems: { [store.table]: { Keys: pending, ConsistentRead: true } } }))
      for (const item of result.Responses?.[store.table] ?? []) found.set(`${item.pk}|${item.sk}`, item.c as Uint8Array)
      pending = (result.UnprocessedKeys?.[store.table]?.Keys ?? []) as Array<Record<string, unknown>>
    }
  }
  return raw.map((item) => decodeMessage(item, chunkKeys(item as { pk: string; sk: string; nc?: number }).map((k) => found.get(`${k.pk}|${k.sk}`)!)))
}

/**
 * Claim one candidate for a receive.
 * Condition: vis = :seenVis AND tok = :seenTok (fails → another receive or a visibility change won: skip it).
 * Writes: vis = :visibleAt, tok = :token, rc + 1, fr if unset. Cost: 1 WRU per KB (billed on failure too).
 * Returns the claimed raw item, or null on contention.
 */
export async function claimMessage(store: MessageStore, seen: MessageState, claim: { now: number; visibleAt: number; token: string }) {
  try {
    const result = await store.db.send(new UpdateCommand({
      TableName: store.table,
      Key: { pk: seen.pk, sk: seen.sk },
      UpdateExpression: 'SET vis = :vis, tok = :tok, rc = rc + :one, fr = if_not_exists(fr, :now)',
      ConditionExpression: 'vis = :seenVis AND tok = :seenTok',
      ExpressionAttributeValues: { ':vis': claim.visibleAt, ':tok': claim.token, ':one': 1, ':now': claim.now, ':seenVis': seen.visibleAt, ':seenTok': seen.token },
      ReturnValues: 'ALL_NEW',
    }))
    return result.Attributes ?? null
  } catch (error) {
    if (isConditionFailure(error)) return null
    throw error
  }
}

/**
 * Set a received message's visibility (ChangeMessageVisibility).
 * Condition: tok = :token (the message still exists and nobody received it since this handle). Cost: 1 WRU per KB.
 */
export async function setVisibility(store: MessageStore, key: { pk: string; sk: string }, token: string, visibleAt: number) {
  try {
    await store.db.send(new UpdateCommand({
      TableName: store.table,
      Key: key,
      UpdateExpression: 'SET vis = :vis',
      ConditionExpression: 'tok = :tok',
      ExpressionAttributeValues: { ':vis': visibleAt, ':tok': token },
    }))
    return true
  } catch (error) {
    if (isConditionFailure(error)) return false
    throw error
  }
}

/**
 * Delete a message and its chunks. No condition: on standard queues a stale handle still deletes, and deleting
 * twice is success. Cost: 1 WRU per KB.
 */
export async function deleteMessageItem(store: MessageStore, key: { pk: string; sk: string }) {
  const { Attributes } = await store.db.send(new DeleteCommand({ TableName: store.table, Key: key, ReturnValues: 'ALL_OLD' }))
  if (Attributes && chunkCount(Attributes) > 0) {
    const chunks = chunkKeys(Attributes as { pk: string; sk: string; nc?: number }).map((Key) => ({ DeleteRequest: { Key } }))
    await batchWrite(store.db, store.table, chunks, { replay: true })
  }
}

/**
 * Delete message items whose chunk counts are known (from their receipt handles), and their chunks, with
 * `batchWrite` (a replayed delete is harmless). No condition, as for `deleteMessageItem`.
 * Cost: 1 WRU per KB per item. Returns the keys that could not be deleted.
 */
export async function deleteMessageItems(store: MessageStore, messages: Array<{ pk: string; sk: string; nc: number }>) {
  const keys = new Map<string, { pk: string; sk: string }>()
  for (const message of messages) {
    for (const key of [{ pk: message.pk, sk: message.sk }, ...chunkKeys(message)]) keys.set(`${key.pk}|${key.sk}`, key)
  }
  const requests = [...keys.values()].map((Key) => ({ DeleteRequest: { Key } }))
  return (await batchWrite(store.db, store.table, requests, { replay: true })).map((request) => request.DeleteRequest.Key)
}

/**
 * Move a message to another queue's partition (redrive to a dead-letter queue) in one transaction:
 * Delete source (cond vis = :seenVis AND tok = :seenTok, the same proof as a claim) + Put the new item and chunks.
 * The message is in exactly one queue at every moment. Returns false on contention.
 */
export async function moveMessage(store: MessageStore, seen: Candidate, target: EncodedMessage) {
  const sourceChunks = chunkKeys({ pk: seen.pk, sk: seen.sk, nc: chunkCount(seen.raw) })
  try {
    await store.db.send(new TransactWriteCommand({
      TransactItems: [
        {
          Delete: {
            TableName: store.table, Key: { pk: seen.pk, sk: seen.sk },
            ConditionExpression: 'vis = :seenVis AND tok = :seenTok',
            ExpressionAttributeValues: { ':seenVis': seen.visibleAt, ':seenTok': seen.token },
          },
        },
        ...sourceChunks.map((Key) => ({ Delete: { TableName: store.table, Key } })),
        { Put: { TableName: store.table, Item: target.item as unknown as Record<string, unknown> } },
        ...target.chunks.map((chunk) => ({ Put: { TableName: store.table, Item: chunk } })),
      ],
    }))
    return true
  } catch (error) {
    if ((error as { name?: string }).name === 'TransactionCanceledException') return false
    throw error
  }
}
