/** @module storage/message-store — standard-queue message items: put, find, claim, release, delete, move. */
import {
  BatchExecuteStatementCommand, BatchGetCommand, DeleteCommand, QueryCommand, TransactWriteCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import type { MessageState, StoredMessage } from '../model/message.js'
import { batchWrite } from './batch-write.js'
import type { Db } from './dynamo.js'
import { storageThrottled, unlessConditionFails } from './dynamo-errors.js'
import { itemKeyText } from './keys.js'
import { chunkCount, chunkKeys, decodeMessage, decodeState, type EncodedMessage } from './message-item.js'
import { hiddenReady, receivableRanges } from './ready-index.js'

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

/** A message with its state as read and its raw item (its body may still need chunks): what a move starts from. */
export type Candidate = MessageState & { sentAt: number; raw: Record<string, unknown> }

/** A message the `ready` index lists as receivable: its keys and its index position, which a claim checks. */
export interface IndexedCandidate {
  pk: string
  sk: string
  ready: number
}

/** The two regions of a shard's `ready` index a receive reads, or both at once (storage/ready-index.ts). */
export type ReadyRegion = 'hidden' | 'fresh' | 'both'

/**
 * Receivable messages of one region of one shard from the `ready` index (storage/ready-index.ts): up to `limit`
 * whose hidden time ran out, earliest first, or fresh ones sent after `sentAfter`, oldest first, or (`both`) the
 * fresh ones and then the hidden ones. Messages still hidden lie outside every key range and are never read, however
 * many there are.
 * The index is eventually consistent (on AWS): a candidate is only a candidate, the claim's condition decides.
 * Cost: 0.5 RRU per 4 KB of index entries (~100 B each) per query.
 */
export async function findReceivable(
  store: MessageStore, pk: string, region: ReadyRegion, range: { now: number; sentAfter: number }, limit: number,
): Promise<IndexedCandidate[]> {
  const bounds = receivableRanges(range.now, range.sentAfter)[region]
  const page = await store.db.send(new QueryCommand({
    TableName: store.table,
    IndexName: 'ready',
    KeyConditionExpression: 'rq = :pk AND ready BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': pk, ':from': bounds.from, ':to': bounds.to },
    Limit: limit,
  }))
  return (page.Items ?? []).map((item) => ({ pk: item.pk as string, sk: item.sk as string, ready: item.ready as number }))
}

/** Items of `keys` that are receivable at `now`, read consistently, in the order given. */
export async function loadReceivable(store: MessageStore, keys: Array<{ pk: string; sk: string }>, now: number): Promise<Candidate[]> {
  const found = await getItems(store, keys)
  return keys.flatMap(({ pk, sk }) => {
    const raw = found.get(itemKeyText({ pk, sk }))
    if (!raw) return []
    const state = decodeState(raw)
    return state.visibleAt <= now && state.expiresAt > now ? [{ ...state, raw }] : []
  })
}

/** Items by `itemKeyText` (BatchGetItem, consistent, 100 keys a call); missing ones are absent. Cost: 1 RRU per 4 KB each. */
async function getItems(store: MessageStore, keys: Array<{ pk: string; sk: string }>) {
  const found = new Map<string, Record<string, unknown>>()
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Array<Record<string, unknown>> = keys.slice(start, start + 100).map(({ pk, sk }) => ({ pk, sk }))
    while (pending.length) {
      const result = await store.db.send(new BatchGetCommand({ RequestItems: { [store.table]: { Keys: pending, ConsistentRead: true } } }))
      for (const item of result.Responses?.[store.table] ?? []) found.set(itemKeyText(item as { pk: string; sk: string }), item)
      pending = (result.UnprocessedKeys?.[store.table]?.Keys ?? []) as Array<Record<string, unknown>>
    }
  }
  return found
}

/** Decode raw message items, loading the chunks of big ones. */
export async function loadBodies(store: MessageStore, raw: Array<Record<string, unknown>>): Promise<StoredMessage[]> {
  const chunksOf = (item: Record<string, unknown>) => chunkKeys(item as { pk: string; sk: string; nc?: number })
  const found = await getItems(store, raw.flatMap(chunksOf))
  return raw.map((item) => decodeMessage(item, chunksOf(item).map((k) => found.get(itemKeyText(k))!.c as Uint8Array)))
}

/** How a claim ended: the message is ours (its item as now stored), someone else's, or for the caller to remove. */
export type ClaimOutcome =
  | { claimed: Record<string, unknown> }
  | { lost: true }
  /** DynamoDB throttled or failed this claim: the message is left for a later receive */
  | { unavailable: true }
  /** past its retention period: delete it (`deleteExpiredMessage`) */
  | { expired: Candidate }
  /** received maxReceiveCount times: move it to the dead-letter queue */
  | { deadLetter: Candidate }

/** The claim of one candidate, as the statement that makes it, for `claimMessages`. */
function claimStatement(
  table: string, seen: IndexedCandidate, claim: { now: number; visibleAt: number; token: string; maxReceiveCount?: number },
) {
  const underMax = claim.maxReceiveCount === undefined ? '' : ' AND rc < ?'
  return {
    Statement: `UPDATE "${table}" SET vis = ? SET ready = ? SET tok = ? SET rc = rc + 1 SET fr = if_not_exists(fr, ?)`
      + ` WHERE pk = ? AND sk = ? AND ready = ? AND exp > ?${underMax} RETURNING ALL NEW *`,
    Parameters: [
      claim.visibleAt, hiddenReady(claim.visibleAt), claim.token, claim.now, seen.pk, seen.sk, seen.ready, claim.now,
      ...(claim.maxReceiveCount === undefined ? [] : [claim.maxReceiveCount]),
    ],
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  }
}

/** Statement errors that say the item was busy (a transaction on it, a redrive's move), as a lost claim does. */
const contended = new Set(['ConditionalCheckFailed', 'TransactionConflict'])
/** Statement errors DynamoDB answers when it is overloaded or failed itself: the claim may be tried again later. */
const unavailable = new Set(['ProvisionedThroughputExceeded', 'ThrottlingError', 'RequestLimitExceeded', 'InternalServerError'])

/**
 * Claim candidates for a receive, all in one BatchExecuteStatement (at most 25): each claim succeeds or fails alone.
 * Condition of each: ready = :seenReady (nobody claimed it or changed its visibility since the index listed it) AND
 * exp > :now, AND rc < :maxReceiveCount when the queue has a dead-letter queue.
 * Writes: vis = :visibleAt, ready = its hidden position, tok = :token, rc + 1, fr if unset; answers the item as now
 * stored. A failed condition answers the item as it was, so a message past retention or maxReceiveCount is known
 * without another read.
 * Cost: 1 WRU per KB per claim, plus 2 index writes (billed on failure too) — as many units as one UpdateItem each,
 * in one request instead of one per candidate.
 * A claim DynamoDB throttled or failed is not made (`unavailable`); when every claim of the batch is, the receive
 * fails with a retryable ServiceUnavailable rather than answer an empty queue.
 */
export async function claimMessages(
  store: MessageStore, candidates: IndexedCandidate[],
  claim: { now: number; visibleAt: number; tokens: string[]; maxReceiveCount?: number },
): Promise<ClaimOutcome[]> {
  if (!candidates.length) return []
  // a message listed twice (its index entry moved between a receive's reads of two regions) is claimed once: two
  // statements on one item fail the whole batch (ValidationException, duplicate keys); the later listing is lost
  const listed = new Set<string>()
  const sent = candidates.flatMap((seen, i) => {
    const key = itemKeyText(seen)
    if (listed.has(key)) return []
    listed.add(key)
    return [i]
  })
  const { Responses = [] } = await store.db.send(new BatchExecuteStatementCommand({
    Statements: sent.map((i) => claimStatement(store.table, candidates[i]!, { ...claim, token: claim.tokens[i]! })),
  }))
  const responses = new Map(sent.map((candidate, at) => [candidate, Responses[at]]))
  const outcomes = candidates.map((seen, i): ClaimOutcome => {
    if (!responses.has(i)) return { lost: true }
    const response = responses.get(i)
    if (!response?.Error) return response?.Item ? { claimed: response.Item } : { lost: true }
    const code = response.Error.Code ?? ''
    if (unavailable.has(code)) return { unavailable: true }
    if (!contended.has(code)) throw new Error(`DynamoDB refused a claim: ${code} ${response.Error.Message ?? ''}`)
    return afterFailedClaim(seen, response.Error.Item, claim)
  })
  if (outcomes.every((outcome) => 'unavailable' in outcome)) {
    throw storageThrottled()
  }
  return outcomes
}

/** What a claim whose condition failed found: the message taken, gone, past its retention or its receives. */
function afterFailedClaim(seen: IndexedCandidate, old: Record<string, unknown> | undefined, claim: { now: number; maxReceiveCount?: number }): ClaimOutcome {
  if (!old || old.ready !== seen.ready) return { lost: true }
  const candidate = { ...decodeState(old), raw: old }
  if (candidate.expiresAt <= claim.now) return { expired: candidate }
  if (claim.maxReceiveCount !== undefined && candidate.receiveCount >= claim.maxReceiveCount) return { deadLetter: candidate }
  return { lost: true }
}

/** Delete a message found past its retention period, and its chunks. Condition: exp <= :now (it cannot come back). */
export async function deleteExpiredMessage(store: MessageStore, expired: Candidate, now: number) {
  const deleted = await unlessConditionFails(async () => {
    await store.db.send(new DeleteCommand({
      TableName: store.table, Key: { pk: expired.pk, sk: expired.sk },
      ConditionExpression: 'exp <= :now', ExpressionAttributeValues: { ':now': now },
    }))
    return true
  }, false)
  if (!deleted) return
  const chunks = chunkKeys({ pk: expired.pk, sk: expired.sk, nc: chunkCount(expired.raw) }).map((Key) => ({ DeleteRequest: { Key } }))
  if (chunks.length) await batchWrite(store.db, store.table, chunks, { replay: true })
}

/**
 * Set a received message's visibility (ChangeMessageVisibility), whichever of its receives the handle is from:
 * SQS applies an older receive's handle too, as it deletes with one.
 * Condition: attribute_exists(tok) AND exp > :now (a message item, not a chunk, still within its retention).
 * Cost: 1 WRU per KB, plus 2 index writes.
 */
export async function setVisibility(store: MessageStore, key: { pk: string; sk: string }, visibleAt: number, now: number) {
  return unlessConditionFails(async () => {
    await store.db.send(new UpdateCommand({
      TableName: store.table,
      Key: key,
      // the index entry moves with it: a visibility of 0 lists it as receivable at once
      UpdateExpression: 'SET vis = :vis, ready = :ready',
      ConditionExpression: 'attribute_exists(tok) AND exp > :now',
      ExpressionAttributeValues: { ':vis': visibleAt, ':ready': hiddenReady(visibleAt), ':now': now },
    }))
    return true
  }, false)
}

/**
 * The first `ready` of index partition `rq` above `after`, or undefined. One Limit-1 query (0.5 RRU): standard
 * shards ask above `hiddenReady(now)` (what becomes visible next), FIFO ready shards above `now` (the next group).
 */
export async function firstReadyAfter(store: MessageStore, rq: string, after: number): Promise<number | undefined> {
  const page = await store.db.send(new QueryCommand({
    TableName: store.table,
    IndexName: 'ready',
    KeyConditionExpression: 'rq = :rq AND ready > :after',
    ExpressionAttributeValues: { ':rq': rq, ':after': after },
    Limit: 1,
  }))
  const ready = page.Items?.[0]?.ready
  return typeof ready === 'number' ? ready : undefined
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
    for (const key of [{ pk: message.pk, sk: message.sk }, ...chunkKeys(message)]) keys.set(itemKeyText(key), key)
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
