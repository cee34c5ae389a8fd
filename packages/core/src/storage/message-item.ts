/** @module storage/message-item — a message ⇄ its DynamoDB item: compact names, deflated bodies, chunks for big ones. */
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { limits } from '../limits.js'
import type { Message, MessageState, StoredMessage } from '../model/message.js'
import { readyIndexEntry } from './ready-index.js'

/**
 * Items over 1 KB cost 2 WRU on every write: a body that deflates well is stored compressed (`z`), which brings a
 * typical 1 KiB JSON message under 1 KB. A message too large for one item (DynamoDB stops at 400 KB; SQS allows
 * 1 MiB of body plus attributes) is packed — attributes JSON and body in one byte payload — and spills into chunks.
 */
const deflateFrom = 200
export const chunkBytes = 300_000
/**
 * The most chunk items one message can have. Its packed payload is the body and the attributes' JSON, which
 * escaping (`"` → `\"`) can make twice the size the attributes count for in the 1 MiB; 3 MiB leaves room for the
 * MD5s and system attributes. A receipt handle naming more was not issued by a receive.
 */
export const maxChunkItems = Math.ceil((3 * limits.maxMessageSize) / chunkBytes) - 1
/** Body plus attributes JSON above this are packed into chunks: the rest of the item stays well under 400 KB. */
const inlineBytes = 350_000

export interface MessageItem {
  pk: string
  sk: string
  id: string
  vis: number
  tok: string
  rc: number
  fr?: number
  sa: number
  exp: number
  ttl: number
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
  md5: string
  sid: string
  gid?: string
  did?: string
  seq?: string
  dlq?: string
  /** standard messages only: the `ready` index entry (storage/ready-index.ts) */
  rq?: string
  ready?: number
}

export interface EncodedMessage {
  item: MessageItem
  chunks: Array<{ pk: string; sk: string; c: Uint8Array; ttl: number }>
}

const chunkKey = (sk: string, index: number) => `${sk}#c${index}`

/** Deflated when that saves at least 10%, else as given. */
function maybeDeflate(bytes: Buffer): { bytes: Buffer; deflated: boolean } {
  const deflated = bytes.length >= deflateFrom ? deflateRawSync(bytes) : undefined
  return deflated && deflated.length < bytes.length * 0.9 ? { bytes: deflated, deflated: true } : { bytes, deflated: false }
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

/** Where the body and attributes go: inline text, inline bytes, or a packed payload split into chunks. */
function payloadOf(body: string, meta: string | undefined): { text?: string; bytes?: Buffer; deflated?: boolean; packed?: boolean } {
  const utf8 = Buffer.from(body, 'utf8')
  const metaLength = meta ? Buffer.byteLength(meta, 'utf8') : 0
  const inline = maybeDeflate(utf8)
  if (inline.bytes.length + metaLength <= inlineBytes) return inline.deflated ? inline : { text: body }
  return { ...maybeDeflate(pack(meta ?? '', utf8)), packed: true }
}

export function encodeMessage(message: Message, state: MessageState): EncodedMessage {
  const extras = {
    a: Object.keys(message.attributes).length ? message.attributes : undefined,
    s: Object.keys(message.systemAttributes).length ? message.systemAttributes : undefined,
    ma: message.md5OfMessageAttributes,
    ms: message.md5OfMessageSystemAttributes,
  }
  const meta = extras.a || extras.s ? JSON.stringify(extras) : undefined
  const payload = payloadOf(message.body, meta)
  const parts: Buffer[] = []
  for (let i = 0; payload.bytes && i < payload.bytes.length; i += chunkBytes) parts.push(payload.bytes.subarray(i, i + chunkBytes))
  const ttl = Math.ceil(state.expiresAt / 1000) + 3600
  const item: MessageItem = {
    pk: state.pk, sk: state.sk, id: message.messageId, vis: state.visibleAt, tok: state.token, rc: state.receiveCount,
    ...(state.firstReceiveAt ? { fr: state.firstReceiveAt } : {}),
    sa: message.sentAt, exp: state.expiresAt, ttl,
    ...(payload.text !== undefined ? { b: payload.text } : { z: new Uint8Array(parts[0]!), zd: payload.deflated ? 1 : 0 }),
    ...(payload.packed ? { pm: 1 } : {}),
    ...(parts.length > 1 ? { nc: parts.length - 1 } : {}),
    ...(meta && !payload.packed ? { m: meta } : {}),
    md5: message.md5OfBody, sid: message.senderId, gid: message.messageGroupId, did: message.messageDeduplicationId,
    seq: message.sequenceNumber, dlq: message.deadLetterQueueSourceArn,
  }
  const chunks = parts.slice(1).map((c, i) => ({ pk: state.pk, sk: chunkKey(state.sk, i + 1), c: new Uint8Array(c), ttl }))
  return { item, chunks }
}

/** A standard message's item, listed in the `ready` index where a receive finds it (storage/ready-index.ts). */
export function encodeStandardMessage(message: Message, state: MessageState): EncodedMessage {
  const encoded = encodeMessage(message, state)
  return { ...encoded, item: { ...encoded.item, ...readyIndexEntry(state.pk, { visibleAt: state.visibleAt, sentAt: message.sentAt }) } }
}

export function chunkKeys(item: Pick<MessageItem, 'pk' | 'sk' | 'nc'>) {
  return Array.from({ length: item.nc ?? 0 }, (_, i) => ({ pk: item.pk, sk: chunkKey(item.sk, i + 1) }))
}

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
