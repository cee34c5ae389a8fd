/**
 * @module storage/attribute-json — DynamoDB attribute values as its JSON carries them: binaries in base64 there,
 * bytes (a plain Uint8Array view, the type the SDK gives) here. Both walks change the value in place.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'

type WireValue = Record<string, any>

/** Binaries as JSON carries them, for a value about to be sent. */
export function binariesToBase64(value: WireValue) {
  if (value.B !== undefined) value.B = base64Of(value.B)
  else if (value.BS) value.BS = value.BS.map(base64Of)
  else if (value.M) for (const member of Object.values(value.M)) binariesToBase64(member as WireValue)
  else if (value.L) for (const member of value.L) binariesToBase64(member)
  return value
}

/** Binaries as bytes, for a value as JSON carried it. */
export function binariesFromBase64(value: WireValue): AttributeValue {
  if (typeof value.B === 'string') value.B = bytesOf(value.B)
  else if (value.BS) value.BS = value.BS.map(bytesOf)
  else if (value.M) binariesInImage(value.M)
  else if (value.L) for (const member of value.L) binariesFromBase64(member)
  return value as AttributeValue
}

/** An item (or key, or stream image): each attribute's binaries as bytes. */
export function binariesInImage(image: Record<string, WireValue>) {
  for (const value of Object.values(image)) if (value && typeof value === 'object') binariesFromBase64(value)
  return image as Record<string, AttributeValue>
}

export function base64Of(bytes: ArrayBufferView | ArrayBuffer) {
  const buffer = ArrayBuffer.isView(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.from(bytes)
  return buffer.toString('base64')
}

export function bytesOf(base64: string) {
  const bytes = Buffer.from(base64, 'base64')
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)
}
