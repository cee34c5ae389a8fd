/** @module model/md5 — the MD5 digests SQS returns for a body and for message (system) attributes. */
import { createHash } from 'node:crypto'
import type { MessageAttributes } from './message-attributes.js'

/** Hex MD5 of the body's UTF-8 bytes; SDKs (JS v3 by default) compare it with their own. */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex')
}

/** Transport types of SQS's attribute digest: which value field the bytes came from. */
const STRING_TRANSPORT = 1
const BINARY_TRANSPORT = 2

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  return Buffer.concat([length, bytes])
}

/**
 * SQS's digest of message attributes (also used for `MD5OfMessageSystemAttributes`); `undefined` when there
 * are none, because SQS then omits the field. Names are sorted by UTF-16 code unit, as the Java SDK's
 * TreeMap does; the transport type follows the value field present, as the SDKs' checkers do.
 */
export function md5OfMessageAttributes(attributes: MessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort()
  if (names.length === 0) return undefined
  const hash = createHash('md5')
  for (const name of names) {
    const { DataType, StringValue, BinaryValue } = attributes[name]!
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')))
    hash.update(lengthPrefixed(Buffer.from(DataType, 'utf8')))
    if (StringValue !== undefined) {
      hash.update(Buffer.of(STRING_TRANSPORT))
      hash.update(lengthPrefixed(Buffer.from(StringValue, 'utf8')))
    } else {
      hash.update(Buffer.of(BINARY_TRANSPORT))
      hash.update(lengthPrefixed(Buffer.from(BinaryValue ?? '', 'base64')))
    }
  }
  return hash.digest('hex')
}
