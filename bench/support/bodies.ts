/** @module bench/support/bodies — 1 KiB message bodies that do and do not compress, each carrying a key to find it again. */
import { randomBytes } from 'node:crypto'

export type BodyKind = 'incompressible' | 'compressible'

export const bodyBytes = 1024

/**
 * Random printable ASCII: the least compressible valid SQS text (deflate keeps ~85 %, so DQS still stores it
 * deflated, but the item stays over 1 KB). Base64 of random bytes would deflate to ~77 %.
 */
function randomText(length: number) {
  const bytes = randomBytes(length)
  let text = ''
  for (const b of bytes) text += String.fromCharCode(32 + (b % 95))
  return text
}

/** A JSON event of the kind queues usually carry (repetitive names and values), cut to `length`. */
function jsonText(key: string, length: number) {
  let text = `{"id":"${key}","type":"order.created","items":[`
  for (let i = 0; text.length < length; i++) {
    text += `{"sku":"SKU-${String(i).padStart(5, '0')}","qty":${(i % 3) + 1},"price":"${(i % 7) + 9}.99","currency":"EUR"},`
  }
  return text.slice(0, length)
}

/** A body of exactly `bodyBytes` bytes starting with `key|`. */
export function makeBody(kind: BodyKind, key: string): string {
  const head = `${key}|`
  const rest = bodyBytes - head.length
  return head + (kind === 'incompressible' ? randomText(rest) : jsonText(key, rest))
}

/** The key a body was made with. */
export const keyOf = (body: string) => body.slice(0, body.indexOf('|'))
