/** @module storage/fifo-send-store — FIFO writes that span items: the send transaction, dedup records, dead-letter moves, receive attempts. */
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { cancellationReasons } from './dynamo-errors.js'
import { groupAppend, groupUpdate, type GroupAppend, type GroupChange, type GroupState } from './fifo-group-item.js'
import type { FifoStore } from './fifo-store.js'
import { chunkKeys, type EncodedMessage } from './message-item.js'

/** DynamoDB TTL is in seconds and may lag by days; readers compare `exp` themselves, so the TTL is generous. */
const ttlAfter = (ms: number) => Math.ceil(ms / 1000) + 3600

/** A message item and its chunk items as transaction Puts (unconditional: their keys are new). */
export const messagePuts = (table: string, message: EncodedMessage) => [
  { Put: { TableName: table, Item: message.item as unknown as Record<string, unknown> } },
  ...message.chunks.map((chunk) => ({ Put: { TableName: table, Item: chunk } })),
]

/**
 * A send's claim on a deduplication id. FIFO dedup record (messages table): one per live deduplication id.
 *
 * | attribute | type | meaning | written by |
 * |---|---|---|---|
 * | pk | S | `d#<queueId>#<gen>#<scope>#<dedupId>`, scope `q` (per queue) or `g<length>:<groupId>` (DeduplicationScope=messageGroup) (keys.ts `fifoDedupKey`) | `sendFifoMessages` |
 * | sk | S | `d` | `sendFifoMessages` |
 * | exp | N | when the 5-minute window ends (epoch ms: send + 5 min); an expired record is replaced, whatever TTL has done | `sendFifoMessages` |
 * | id | S | MessageId of the first send: a duplicate is answered with it | `sendFifoMessages` |
 * | seq | S | SequenceNumber of the first send (20 digits) | `sendFifoMessages` |
 * | ttl | N | epoch seconds: an hour after `exp` | `sendFifoMessages` |
 *
 * Written only inside a send transaction (1 WRU, 2 there): `sendFifoMessages`'s, or a caller's own through
 * `fifoSendItems` (engine/transactional-send.ts, the `@dqs/outbox` package); a ConditionCheck reads the
 * other scope's record just after a DeduplicationScope change. `getDedupRecord` reads one on the duplicate path
 * (1 RRU). Its key lies outside the generation's partitions, so a purge or DeleteQueue leaves it to TTL.
 */
export interface FifoDedupClaim {
  key: { pk: string; sk: string }
  /** A record of the other deduplication scope that must not be live either (ConditionCheck). */
  check?: { pk: string; sk: string }
  expiresAt: number
  messageId: string
  sequenceNumber: string
}

export interface FifoSend {
  now: number
  /** One per message, in the order of `messages`. */
  dedups: FifoDedupClaim[]
  /** The group's new tail is the last message's sequence number; `count` messages are added. */
  group: GroupAppend
  messages: EncodedMessage[]
  /** ClientRequestToken: an SDK retry of this very request (first attempt landed, answer lost) is applied once. */
  token: string
}

export type FifoSendOutcome =
  | { sent: true }
  /** Messages (by index) whose dedup id is live: duplicates; nothing was written. */
  | { sent: false; duplicates: number[]; contention: boolean }

/**
 * Send one or more messages of one group (a batch's entries of a group, in order): one transaction of
 *   Put a dedup record per message — cond attribute_not_exists(pk) OR exp <= :now (an expired record is
 *     replaced; TTL only cleans up)
 *   ConditionCheck the same on each `check` record (only shortly after a DeduplicationScope change)
 *   Update the group — see `groupAppend` (cond on the tail read)
 *   Put each message item and its chunks.
 * One transaction per group rather than per message: one group update and one round trip for up to 10 messages.
 * Cost on AWS: 2 × (messages × (1 + message KB) + 1) WRU, + 1 index WRU when the group enters the `ready` index.
 * Returns sent, or what cancelled it: live dedup records (duplicates), and whether the tail moved or another
 * transaction touched the same items (contention: re-read, then try again).
 */
export async function sendFifoMessages(store: FifoStore, send: FifoSend): Promise<FifoSendOutcome> {
  const checked = send.dedups.flatMap((dedup, i) => (dedup.check ? [{ i, key: dedup.check }] : []))
  try {
    await store.db.send(new TransactWriteCommand({ ClientRequestToken: send.token, TransactItems: fifoSendItems(store.table, send) }))
    return { sent: true }
  } catch (error) {
    const reasons = cancellationReasons(error)
    if (!reasons) throw error
    const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed'
    const duplicates = [...new Set([
      ...send.dedups.flatMap((_, i) => (failed(i) ? [i] : [])),
      ...checked.flatMap(({ i }, j) => (failed(send.dedups.length + j) ? [i] : [])),
    ])]
    const dedupItems = send.dedups.length + checked.length
    const contention = reasons.some((r, i) => (r.Code === 'ConditionalCheckFailed' && i >= dedupItems) || r.Code === 'TransactionConflict')
    if (!duplicates.length && !contention) throw error
    return { sent: false, duplicates, contention }
  }
}

/**
 * The items of `sendFifoMessages`'s transaction, in its order: dedup Puts (one per message, index i), dedup
 * ConditionChecks, the group Update, then message and chunk Puts. A transactional outbox adds them to its caller's
 * own transaction, so the message is written exactly as SendMessage writes it.
 */
export function fifoSendItems(table: string, send: Omit<FifoSend, 'token'>) {
  const notLive = { ConditionExpression: 'attribute_not_exists(pk) OR #exp <= :now', ExpressionAttributeNames: { '#exp': 'exp' }, ExpressionAttributeValues: { ':now': send.now } }
  return [
    ...send.dedups.map((dedup) => ({
      Put: {
        TableName: table,
        Item: { ...dedup.key, exp: dedup.expiresAt, id: dedup.messageId, seq: dedup.sequenceNumber, ttl: ttlAfter(dedup.expiresAt) },
        ...notLive,
      },
    })),
    ...send.dedups.flatMap((dedup) => (dedup.check ? [{ ConditionCheck: { TableName: table, Key: dedup.check, ...notLive } }] : [])),
    { Update: groupAppend(table, send.group) },
    ...send.messages.flatMap((message) => messagePuts(table, message)),
  ]
}

/**
 * The first send's answer stored in a live dedup record, or null when there is none (or it has just expired).
 * Consistent: 1 RRU; read only on the duplicate path.
 */
export async function getDedupRecord(store: FifoStore, key: { pk: string; sk: string }, now: number) {
  const { Item } = await store.db.send(new GetCommand({ TableName: store.table, Key: key, ConsistentRead: true }))
  if (!Item || (Item.exp as number) <= now) return null
  return { messageId: Item.id as string, sequenceNumber: Item.seq as string }
}

export interface FifoMove {
  source: GroupState
  sourceChange: GroupChange
  sourceKey: { pk: string; sk: string }
  target: GroupAppend
  message: EncodedMessage
}

/**
 * Move a message to a FIFO dead-letter queue: one transaction of
 *   Update source group (cond ver — the receive state we read; see `groupUpdate`)
 *   Delete the source message item and its chunks
 *   Update the target group (cond on its tail; see `groupAppend`)
 *   Put the message and its chunks into the target group.
 * The message is in exactly one queue at every moment. Cost: 2 × (2 + 2 × message KB) WRU; poison messages only.
 * Returns 'moved', 'source-changed' (someone else acted on the group: leave it to them) or 'contention' (target).
 */
export async function moveFifoMessage(store: FifoStore, move: FifoMove): Promise<'moved' | 'source-changed' | 'contention'> {
  const sourceKeys = [move.sourceKey, ...chunkKeys({ ...move.sourceKey, nc: move.message.chunks.length })]
  try {
    await store.db.send(new TransactWriteCommand({
      TransactItems: [
        { Update: groupUpdate(store.table, move.source, move.sourceChange) },
        ...sourceKeys.map((Key) => ({ Delete: { TableName: store.table, Key } })),
        { Update: groupAppend(store.table, move.target) },
        ...messagePuts(store.table, move.message),
      ],
    }))
    return 'moved'
  } catch (error) {
    const reasons = cancellationReasons(error)
    if (!reasons) throw error
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'source-changed'
    if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return 'contention'
    throw error
  }
}

/**
 * What a receive returned under a ReceiveRequestAttemptId. FIFO receive-attempt record (messages table):
 *
 * | attribute | type | meaning | written by |
 * |---|---|---|---|
 * | pk | S | `ra#<queueId>#<gen>#<attemptId>` (keys.ts `fifoReceiveAttemptKey`) | `putReceiveAttempt` |
 * | sk | S | `a` | `putReceiveAttempt` |
 * | exp | N | when the 5-minute window ends (epoch ms: receive + 5 min) | `putReceiveAttempt` |
 * | msgs | L of M {pk, sk, handle} | each message returned: its item's key and the receipt handle it was given | `putReceiveAttempt` |
 * | ttl | N | epoch seconds: an hour after `exp` | `putReceiveAttempt` |
 *
 * Written by `putReceiveAttempt` (engine/fifo/receive-attempt.ts, a FIFO ReceiveMessage with an attempt id that
 * returned messages): 1–2 WRU, the size growing with the receipt handles (up to 10). Left to TTL, as dedup records.
 */
export interface ReceiveAttempt {
  expiresAt: number
  /** What the receive returned: where each message lives and the receipt handle it was given. */
  messages: Array<{ pk: string; sk: string; handle: string }>
}

/** A live ReceiveRequestAttemptId record, or null. Consistent: 1 RRU per 4 KB. */
export async function getReceiveAttempt(store: FifoStore, key: { pk: string; sk: string }, now: number): Promise<ReceiveAttempt | null> {
  const { Item } = await store.db.send(new GetCommand({ TableName: store.table, Key: key, ConsistentRead: true }))
  if (!Item || (Item.exp as number) <= now) return null
  return { expiresAt: Item.exp as number, messages: Item.msgs as ReceiveAttempt['messages'] }
}

/** Record what a receive returned under its attempt id (unconditional: the last receive under an id wins). 1–2 WRU. */
export async function putReceiveAttempt(store: FifoStore, key: { pk: string; sk: string }, attempt: ReceiveAttempt) {
  await store.db.send(new PutCommand({
    TableName: store.table,
    Item: { ...key, exp: attempt.expiresAt, msgs: attempt.messages, ttl: ttlAfter(attempt.expiresAt) },
  }))
}
