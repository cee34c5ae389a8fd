/** @module model/receipt-handle — signed, self-describing receipt handles: where a received message lives and which receive it was. */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { ReceiptHandleIsInvalid } from '../errors.js'
import { limits } from '../limits.js'

/** Everything Delete/ChangeVisibility need to find and check the message without a lookup; short names keep handles short. */
export interface ReceiptFields {
  /** Queue id: a handle for a deleted and re-created queue must not match. */
  q: string
  /** DynamoDB partition key of the message. */
  p: string
  /** DynamoDB sort key of the message. */
  s: string
  /** Claim token of this receive: a later receive of the same message gets a new one. */
  t: string
  /** Visible-at (epoch ms) this receive set. */
  v: number
  /** When this receive happened (epoch ms): the 12 h cap on a message's visibility counts from it, as on SQS. */
  r: number
  /** Chunk items of a big body, when known: lets a delete remove them without reading the message first. */
  c?: number
}

/** Leading byte, covered by the MAC, so the layout can change without old handles being misread. */
const VERSION = 1
/** 128 bits of HMAC-SHA256: ample against forgery, and keeps handles compact. */
const MAC_BYTES = 16
const BASE64URL = /^[A-Za-z0-9_-]+$/
/**
 * The longest receipt handle SQS documents (docs/reference/sqs.md §b). Ours stay under 600 characters even with a
 * 128-character group id; the bound is checked before any decoding or hashing.
 */
const maxHandleLength = 1024
/** Epoch ms with 13 digits (until the year 2286), as message sort keys write them (storage/keys.ts). */
const maxEpochMs = 9_999_999_999_999

function mac(key: string, signed: Buffer): Buffer {
  return createHmac('sha256', key).update(signed).digest().subarray(0, MAC_BYTES)
}

/** Layout: base64url(version ‖ MAC ‖ JSON of the fields), the MAC taken over version ‖ JSON. */
export function encodeReceiptHandle(fields: ReceiptFields, key: string): string {
  const { q, p, s, t, v, r, c } = fields
  const signed = Buffer.concat([Buffer.of(VERSION), Buffer.from(JSON.stringify({ q, p, s, t, v, r, c }), 'utf8')])
  return Buffer.concat([signed.subarray(0, 1), mac(key, signed), signed.subarray(1)]).toString('base64url')
}

const isTime = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= maxEpochMs
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0

/** A receive sets the visibility from its own time, at most the 12 h maximum timeout later. */
const plausibleTimes = (v: number, r: number) => r <= v && v - r <= limits.maxVisibilityTimeout * 1000

/**
 * The fields of a handle signed with `key`, each of the type and in the range a receive writes, or
 * ReceiptHandleIsInvalid. The MAC proves only that the handle was signed with `key`, which may be the public local
 * default: whether the keys it names belong to the queue it is used on is the engine's check
 * (engine/standard/acknowledge.ts `receiptFor`).
 */
export function decodeReceiptHandle(handle: string, key: string): ReceiptFields {
  // Typed on the binding so that calls narrow like a throw.
  const reject: () => never = () => {
    throw new ReceiptHandleIsInvalid(handle)
  }
  if (typeof handle !== 'string' || handle.length > maxHandleLength || !BASE64URL.test(handle)) reject()
  const bytes = Buffer.from(handle, 'base64url')
  // Buffer ignores a last character's unused bits; requiring the canonical spelling makes every character count.
  if (bytes.toString('base64url') !== handle || bytes.length <= 1 + MAC_BYTES || bytes[0] !== VERSION) reject()
  const signed = Buffer.concat([bytes.subarray(0, 1), bytes.subarray(1 + MAC_BYTES)])
  if (!timingSafeEqual(bytes.subarray(1, 1 + MAC_BYTES), mac(key, signed))) reject()
  let fields: Partial<Record<keyof ReceiptFields, unknown>> | null = null
  try {
    fields = JSON.parse(signed.subarray(1).toString('utf8'))
  } catch {
    reject()
  }
  if (fields === null || typeof fields !== 'object') reject()
  const { q, p, s, t, v, r, c } = fields
  if (typeof q !== 'string' || typeof p !== 'string' || typeof s !== 'string' || typeof t !== 'string') reject()
  if (!isTime(v) || !isTime(r) || !plausibleTimes(v, r) || (c !== undefined && !isCount(c))) reject()
  return c === undefined ? { q, p, s, t, v, r } : { q, p, s, t, v, r, c }
}
