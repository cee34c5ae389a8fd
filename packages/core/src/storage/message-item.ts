/** @module storage/message-item — a message ⇄ its DynamoDB item: compact names, deflated bodies, chunks for big ones. */
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { limits } from '../limits.js'
import type { Message, MessageState, StoredMessage } from '../model/message.js'
import { mightDeflateTo } from './deflate-floor.js'
import { documentItemSize, numberSize, writeUnitBytes, writeUnits } from './item-size.js'
import { readyIndexEntry } from './ready-index.js'

/**
 * Items over 1 KB cost 2 WRU on every write: a body that deflates enough is stored compressed (`z`), which brings a
 * typical 1 KiB JSON message under 1 KB. A message too large for one item (DynamoDB stops at 400 KB; SQS allows
 * 1 MiB of body plus attributes) is packed — attributes JSON and body in one byte payload — and spills into chunks.
 */
export const chunkBytes = 300_000
/**
 * The most chunk items one message can have. Its packed payload is the body and the attributes' JSON, which
 * escaping (`"` → `\"`) can make twice the size the attributes count for in the 1 MiB; 3 MiB leaves room for the
 * MD5s and system attributes. A receipt handle naming more was not issued by a receive.
 */
export const maxChunkItems = Math.ceil((3 * limits.maxMessageSize) / chunkBytes) - 1
/** Body plus attributes JSON above this are packed into chunks: the rest of the item stays well under 400 KB. */
const inlineBytes = 350_000

/**
 * A message's item (messages table). Standard and FIFO messages share it (`encodeMessage`); a standard one also
 * carries its `ready` index entry (`encodeStandardMessage`). What each attribute means is on its field below; the
 * table gives, per kind of queue, its value and the storage function that writes it.
 *
 * | attribute | type | standard message | FIFO message |
 * |---|---|---|---|
 * | pk | S | `<queueId>#<gen>#<shard>`, a random shard (keys.ts `shardPartition`) | `<queueId>#<gen>#g#<groupId>` (keys.ts `fifoGroupPartition`) |
 * | sk | S | 13-digit send time (ms) + 8 random base64url characters (`messageSortKey`) | `m#<20-digit sequence number>` (`fifoMessageSortKey`) |
 * | id | S | at send | at send |
 * | vis | N | send time + delay (a move: its time); `claimMessages`, `setVisibility` | send time + the queue's delay (a dead-letter move: its time); never changed |
 * | tok | S | random at send; `claimMessages` | `''` (the group item's `rx` holds tokens) |
 * | rc | N | 0 at send; `claimMessages` adds 1 | 0 (the group item's `rx` counts) |
 * | fr | N | `claimMessages`, on the first receive | absent (the group item's `rx`) |
 * | sa | N | at send; kept by moves | at send; kept by moves |
 * | exp | N | at send | at send |
 * | ttl | N | at send | at send |
 * | b | S | at send, when the body is stored as text | as standard |
 * | z | B | at send, instead of `b` | as standard |
 * | zd | N | with `z` | as standard |
 * | pm | N | at send, when body (deflated if that helps) and attributes JSON exceed 350,000 bytes | as standard |
 * | nc | N | with chunk items | as standard |
 * | m | S | at send, when there are attributes (unless packed) | as standard |
 * | md5 | S | at send | at send |
 * | sid | S | at send | at send |
 * | gid | S | at send, when the sender gave one | at send |
 * | did | S | absent | at send |
 * | seq | S | absent | at send |
 * | dlq | S | a redrive sets it; a move task taking the message back leaves it out | a dead-letter move sets it |
 * | rq | S | at send; `upgradeToReadyIndex` adds it to older items | absent: the group item is listed instead |
 * | ready | N | at send; `claimMessages`, `setVisibility`; `upgradeToReadyIndex` | absent |
 *
 * Written by: standard — `putMessages` (SendMessage, SendMessageBatch) and `moveMessage` (redrive, move tasks) in
 * storage/message-store.ts; FIFO — `sendFifoMessages` and `moveFifoMessage` in storage/fifo-send-store.ts. Removed
 * by `deleteMessageItem(s)`, `deleteExpiredMessage`, `moveMessage`, FIFO `deleteFinishedMessages`, the sweeper's
 * `deleteItems`, and TTL last.
 * Cost: 1 WRU per KB of item on every write, as those functions state; the size is the body (deflated when that
 * bills fewer units, which brings a typical 1 KiB JSON body under 1 KB) plus `m`. A standard message's index entry
 * (~100 B) adds 1 WRU a write: 1 at send, 2 per claim or visibility change, 1 at delete
 * (docs/reference/dynamo-model.md §5). A FIFO send is a transaction: 2 × (1 + message KB) per message, plus 2 for
 * the group item.
 */
export interface MessageItem {
  /** Partition: a standard queue's shard in one generation, or a FIFO message group (table above). */
  pk: string
  /** Sort key: send order within a shard, sequence order within a group; chunk keys extend it. */
  sk: string
  /** MessageId (a UUID). */
  id: string
  /** When the message is visible (epoch ms): after its delay, or after the visibility timeout of its latest receive. */
  vis: number
  /** Claim token of the latest receive; its receipt handles carry it. */
  tok: string
  /** ApproximateReceiveCount. */
  rc: number
  /** ApproximateFirstReceiveTimestamp (epoch ms); absent until the first receive. */
  fr?: number
  /** SentTimestamp (epoch ms): the first send's, also after a dead-letter or move-task move. */
  sa: number
  /** When the retention period ends (epoch ms), counted from `sa`: past it the message is never delivered. */
  exp: number
  /** DynamoDB TTL (epoch seconds): an hour after `exp`. Only a clean-up, which AWS may run days late. */
  ttl: number
  /** the body, stored as it came: neither deflated nor packed */
  b?: string
  /** the body's bytes (or, with `pm`, the packed payload's first chunk) */
  z?: Uint8Array
  /** 1 when `z` and the chunks are deflated, 0 when they are plain */
  zd?: number
  /** 1 when the payload is packed: 4-byte length + attributes JSON, then the body; `m` is then absent */
  pm?: number
  /** number of chunk items holding the rest of the payload */
  nc?: number
  /** message attributes, system attributes and their MD5s, as JSON */
  m?: string
  /** MD5OfMessageBody (hex). */
  md5: string
  /** SenderId, as receives report it. */
  sid: string
  /** MessageGroupId: always on FIFO messages; on a standard message only when the sender gave one. */
  gid?: string
  /** MessageDeduplicationId (FIFO): as given, or the body's SHA-256 with ContentBasedDeduplication. */
  did?: string
  /** SequenceNumber (FIFO): 20 digits, the same as in `sk`. */
  seq?: string
  /** DeadLetterQueueSourceArn: the queue a redrive moved the message from. */
  dlq?: string
  /** standard messages only: the `ready` index entry (storage/ready-index.ts); `rq` is the item's own `pk` */
  rq?: string
  /** the index sort key: the send time while never hidden, else `hiddenFrom` + `vis` */
  ready?: number
}

/**
 * A message item and its chunk items. Chunk item (messages table): the rest of a payload too big for one item,
 * written in the same transaction as its message (`putMessages`, `moveMessage`, `sendFifoMessages`,
 * `moveFifoMessage`) and deleted with it. Its key sorts right after its message's, so a group partition reads a
 * FIFO message's chunks with it.
 *
 * | attribute | type | meaning |
 * |---|---|---|
 * | pk | S | its message's `pk` |
 * | sk | S | `<message sk>#c<i>`, i = 1 … the message's `nc` (the payload's part 0 is the message's `z`) |
 * | c | B | part i of the payload: up to 300,000 bytes (`chunkBytes`) |
 * | ttl | N | its message's `ttl` |
 *
 * Cost: 1 WRU per KB (about 293 for a full chunk), twice that inside the transaction; read consistently with
 * BatchGetItem (standard) or the group's Query (FIFO), 1 RRU per 4 KB.
 */
export interface EncodedMessage {
  item: MessageItem
  chunks: Array<{ pk: string; sk: string; c: Uint8Array; ttl: number }>
}

const chunkKey = (sk: string, index: number) => `${sk}#c${index}`

/** A packed payload: deflated when that saves at least 10% (it is hundreds of KB: many write units), else as given. */
function maybeDeflate(bytes: Buffer): { bytes: Buffer; deflated: boolean } {
  const deflated = deflateRawSync(bytes)
  return deflated.length < bytes.length * 0.9 ? { bytes: deflated, deflated: true } : { bytes, deflated: false }
}

/** Attributes JSON and body as one payload: 4-byte big-endian length of the JSON, the JSON, then the body. */
function pack(meta: string, body: Buffer): Buffer {
  const metaBytes = Buffer.from(meta, 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(metaBytes.length)
  return Buffer.concat([length, metaBytes, body])
}

function unpack(payload: Buffer): { meta: string; body: string } {
  const length = payload.readUInt32BE(0)
  return { meta: payload.subarray(4, 4 + length).toString('utf8'), body: payload.subarray(4 + length).toString('utf8') }
}

/** What `z` and `zd` add to an item (names, and `zd`'s number) beside the bytes. */
const deflatedAttributesBytes = 'z'.length + 'zd'.length + numberSize('1')

/**
 * Where the body and attributes go: inline text, inline bytes, or a packed payload split into chunks. `describedBytes`:
 * the size of the rest of the item but `m`. Inline, the body is deflated only when that makes the item bill fewer
 * write units (it is written at send, at each receive, at delete): a deflated body costs a zlib stream at send and
 * another at every receive (25–40 µs each for 1 KiB here), and base64 in every request.
 */
function payloadOf(body: string, meta: string | undefined, describedBytes: number): { text?: string; bytes?: Buffer; deflated?: boolean; packed?: boolean } {
  const utf8 = Buffer.from(body, 'utf8')
  const metaLength = meta ? Buffer.byteLength(meta, 'utf8') : 0
  const itemBytes = describedBytes + (meta ? 'm'.length + metaLength : 0)
  const plainUnits = writeUnits(itemBytes + 'b'.length + utf8.length)
  const fitsInline = utf8.length + metaLength <= inlineBytes
  // the most a deflated body may take for the item to bill a unit less; ruled out without deflating, most often
  const fewerUnitsBytes = (plainUnits - 1) * writeUnitBytes - itemBytes - deflatedAttributesBytes
  if (fitsInline && (plainUnits === 1 || !mightDeflateTo(utf8, fewerUnitsBytes))) return { text: body }
  const deflated = deflateRawSync(utf8)
  const deflatedFitsInline = deflated.length + metaLength <= inlineBytes
  if (deflatedFitsInline && (!fitsInline || deflated.length <= fewerUnitsBytes)) return { bytes: deflated, deflated: true }
  if (fitsInline) return { text: body }
  return { ...maybeDeflate(pack(meta ?? '', utf8)), packed: true }
}

/** A message's item; `index` is the `ready` index entry a standard message carries (`encodeStandardMessage`). */
export function encodeMessage(message: Message, state: MessageState, index: Pick<MessageItem, 'rq' | 'ready'> = {}): EncodedMessage {
  const extras = {
    a: Object.keys(message.attributes).length ? message.attributes : undefined,
    s: Object.keys(message.systemAttributes).length ? message.systemAttributes : undefined,
    ma: message.md5OfMessageAttributes,
    ms: message.md5OfMessageSystemAttributes,
  }
  const meta = extras.a || extras.s ? JSON.stringify(extras) : undefined
  const ttl = Math.ceil(state.expiresAt / 1000) + 3600
  const described = {
    pk: state.pk, sk: state.sk, id: message.messageId, vis: state.visibleAt, tok: state.token, rc: state.receiveCount,
    ...(state.firstReceiveAt ? { fr: state.firstReceiveAt } : {}),
    sa: message.sentAt, exp: state.expiresAt, ttl,
    md5: message.md5OfBody, sid: message.senderId, gid: message.messageGroupId, did: message.messageDeduplicationId,
    seq: message.sequenceNumber, dlq: message.deadLetterQueueSourceArn, ...index,
  }
  const payload = payloadOf(message.body, meta, documentItemSize(described))
  const parts: Buffer[] = []
  for (let i = 0; payload.bytes && i < payload.bytes.length; i += chunkBytes) parts.push(payload.bytes.subarray(i, i + chunkBytes))
  const item: MessageItem = {
    ...described,
    ...(payload.text !== undefined ? { b: payload.text } : { z: new Uint8Array(parts[0]!), zd: payload.deflated ? 1 : 0 }),
    ...(payload.packed ? { pm: 1 } : {}),
    ...(parts.length > 1 ? { nc: parts.length - 1 } : {}),
    ...(meta && !payload.packed ? { m: meta } : {}),
  }
  const chunks = parts.slice(1).map((c, i) => ({ pk: state.pk, sk: chunkKey(state.sk, i + 1), c: new Uint8Array(c), ttl }))
  return { item, chunks }
}

/** A standard message's item, listed in the `ready` index where a receive finds it (storage/ready-index.ts). */
export function encodeStandardMessage(message: Message, state: MessageState): EncodedMessage {
  return encodeMessage(message, state, readyIndexEntry(state.pk, { visibleAt: state.visibleAt, sentAt: message.sentAt }))
}

export function chunkKeys(item: Pick<MessageItem, 'pk' | 'sk' | 'nc'>) {
  return Array.from({ length: item.nc ?? 0 }, (_, i) => ({ pk: item.pk, sk: chunkKey(item.sk, i + 1) }))
}

/**
 * The attributes of a messages-table item that no stream reader looks at (the counts and the long polls' wake-ups
 * read keys and states: `decodeState`, `decodeGroup`, `receivableChange`): a message's body and attributes, and
 * what tells it apart to a receiver. Most of each image's bytes, so the readers leave them out of what they parse.
 */
export const unreadInStream = [
  'b', 'z', 'zd', 'pm', 'nc', 'm', 'id', 'md5', 'sid', 'gid', 'did', 'seq', 'dlq', 'rq',
] as const satisfies ReadonlyArray<keyof MessageItem>

/** Where a message lives and how it stands, read from its item without touching the body (which may need chunks). */
export function decodeState(raw: Record<string, unknown>): MessageState & { sentAt: number } {
  const item = raw as unknown as MessageItem
  return {
    pk: item.pk, sk: item.sk, visibleAt: item.vis, token: item.tok, receiveCount: item.rc,
    firstReceiveAt: item.fr ?? 0, expiresAt: item.exp, sentAt: item.sa,
  }
}

/** Rebuilds a message from its item and, for big messages, its chunk payloads in order. */
export function decodeMessage(raw: Record<string, unknown>, chunkPayloads: Uint8Array[] = []): StoredMessage {
  const item = raw as unknown as MessageItem
  let body = item.b ?? ''
  let meta = item.m
  if (item.z) {
    const stored = Buffer.concat([item.z, ...chunkPayloads].map((p) => Buffer.from(p)))
    const bytes = item.zd ? inflateRawSync(stored) : stored
    if (item.pm) ({ body, meta } = unpack(bytes))
    else body = bytes.toString('utf8')
  }
  const extras = meta ? JSON.parse(meta) : {}
  return {
    messageId: item.id, body, attributes: extras.a ?? {}, systemAttributes: extras.s ?? {},
    md5OfBody: item.md5, md5OfMessageAttributes: extras.ma, md5OfMessageSystemAttributes: extras.ms,
    senderId: item.sid, messageGroupId: item.gid, messageDeduplicationId: item.did,
    sequenceNumber: item.seq, deadLetterQueueSourceArn: item.dlq,
    ...decodeState(raw),
  }
}

/** Chunk count of an item still in raw form (decoding needs the chunks first). */
export const chunkCount = (raw: Record<string, unknown>) => (raw as unknown as MessageItem).nc ?? 0
