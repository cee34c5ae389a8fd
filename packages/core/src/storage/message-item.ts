/** @module storage/message-item — a message ⇄ its DynamoDB item: compact names, deflated bodies, chunks for big ones. */
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { Message, MessageState, StoredMessage } from '../model/message.js'

/**
 * Items over 1 KB cost 2 WRU on every write: a body that deflates well is stored compressed (`z`), which brings a
 * typical 1 KiB JSON message under 1 KB. Bodies too large for one item (400 KB) spill into chunk items.
 */
const deflateFrom = 200
export const chunkBytes = 300_000

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
  z?: Uint8Array
  /** 1 when `z` is deflated, 0 when it is plain UTF-8 (large, incompressible bodies) */
  zd?: number
  /** number of chunk items holding the rest of the encoded body */
  nc?: number
  /** message attributes, system attributes and their MD5s, as JSON */
  m?: string
  md5: string
  sid: string
  gid?: string
  did?: string
  seq?: string
  dlq?: string
}

export interface EncodedMessage {
  item: MessageItem
  chunks: Array<{ pk: string; sk: string; c: Uint8Array; ttl: number }>
}

const chunkKey = (sk: string, index: number) => `${sk}#c${index}`

/** The body as stored: text when small and incompressible, else bytes (deflated, or plain UTF-8 when large). */
function bodyPayload(body: string): { text?: string; bytes?: Buffer; deflated?: boolean } {
  const utf8 = Buffer.from(body, 'utf8')
  const deflated = utf8.length >= deflateFrom ? deflateRawSync(utf8) : undefined
  if (deflated && deflated.length < utf8.length * 0.9) return { bytes: deflated, deflated: true }
  return utf8.length > chunkBytes ? { bytes: utf8, deflated: false } : { text: body }
}

export function encodeMessage(message: Message, state: MessageState): EncodedMessage {
  const payload = bodyPayload(message.body)
  const parts: Buffer[] = []
  for (let i = 0; payload.bytes && i < payload.bytes.length; i += chunkBytes) parts.push(payload.bytes.subarray(i, i + chunkBytes))
  const ttl = Math.ceil(state.expiresAt / 1000) + 3600
  const extras = {
    a: Object.keys(message.attributes).length ? message.attributes : undefined,
    s: Object.keys(message.systemAttributes).length ? message.systemAttributes : undefined,
    ma: message.md5OfMessageAttributes,
    ms: message.md5OfMessageSystemAttributes,
  }
  const item: MessageItem = {
    pk: state.pk, sk: state.sk, id: message.messageId, vis: state.visibleAt, tok: state.token, rc: state.receiveCount,
    ...(state.firstReceiveAt ? { fr: state.firstReceiveAt } : {}),
    sa: message.sentAt, exp: state.expiresAt, ttl,
    ...(payload.text !== undefined ? { b: payload.text } : { z: new Uint8Array(parts[0]!), zd: payload.deflated ? 1 : 0 }),
    ...(parts.length > 1 ? { nc: parts.length - 1 } : {}),
    ...(extras.a || extras.s ? { m: JSON.stringify(extras) } : {}),
    md5: message.md5OfBody, sid: message.senderId, gid: message.messageGroupId, did: message.messageDeduplicationId,
    seq: message.sequenceNumber, dlq: message.deadLetterQueueSourceArn,
  }
  const chunks = parts.slice(1).map((c, i) => ({ pk: state.pk, sk: chunkKey(state.sk, i + 1), c: new Uint8Array(c), ttl }))
  return { item, chunks }
}

export function chunkKeys(item: Pick<MessageItem, 'pk' | 'sk' | 'nc'>) {
  return Array.from({ length: item.nc ?? 0 }, (_, i) => ({ pk: item.pk, sk: chunkKey(item.sk, i + 1) }))
}

/** Rebuilds a message from its item and, for big bodies, its chunk payloads in order. */
export function decodeMessage(raw: Record<string, unknown>, chunkPayloads: Uint8Array[] = []): StoredMessage {
  const item = raw as unknown as MessageItem
  let body = item.b ?? ''
  if (item.z) {
    const bytes = Buffer.concat([item.z, ...chunkPayloads].map((p) => Buffer.from(p)))
    body = (item.zd ? inflateRawSync(bytes) : bytes).toString('utf8')
  }
  const extras = item.m ? JSON.parse(item.m) : {}
  return {
    messageId: item.id, body, attributes: extras.a ?? {}, systemAttributes: extras.s ?? {},
    md5OfBody: item.md5, md5OfMessageAttributes: extras.ma, md5OfMessageSystemAttributes: extras.ms,
    sentAt: item.sa, senderId: item.sid, messageGroupId: item.gid, messageDeduplicationId: item.did,
    sequenceNumber: item.seq, deadLetterQueueSourceArn: item.dlq,
    pk: item.pk, sk: item.sk, visibleAt: item.vis, token: item.tok, receiveCount: item.rc,
    firstReceiveAt: item.fr ?? 0, expiresAt: item.exp,
  }
}

/** Chunk count of an item still in raw form (decoding needs the chunks first). */
export const chunkCount = (raw: Record<string, unknown>) => (raw as unknown as MessageItem).nc ?? 0
