/** @module attributes — message attributes as a plain object ⇄ SQS's typed MessageAttributeValue map, and their size. */
import type { MessageAttributeValue } from '@aws-sdk/client-sqs'

/**
 * One message attribute as the caller writes it: a `string` becomes `String`, a `number` or `bigint` becomes
 * `Number`, bytes (`Uint8Array`, so also `Buffer`) become `Binary`. A full `MessageAttributeValue` passes through
 * unchanged, for custom types such as `Number.float` or `String.json`.
 */
export type MessageAttributeInput = string | number | bigint | Uint8Array | MessageAttributeValue

/** Message attributes as the caller writes them: `{ tenant: 'a', attempt: 3, raw: Buffer.from('…') }`. */
export type MessageAttributesInput = Readonly<Record<string, MessageAttributeInput>>

/**
 * One received message attribute: `String*` → `string`, `Binary*` → `Uint8Array`, `Number*` → `number`, or
 * `bigint` for an integer beyond `Number.MAX_SAFE_INTEGER` (SQS numbers carry up to 38 digits).
 */
export type MessageAttributeOutput = string | number | bigint | Uint8Array

/** Received message attributes by name. */
export type MessageAttributesOutput = Record<string, MessageAttributeOutput>

const encoder = new TextEncoder()
const utf8Bytes = (text: string) => encoder.encode(text).length

function toAttributeValue(name: string, value: MessageAttributeInput): MessageAttributeValue {
  if (typeof value === 'string') return { DataType: 'String', StringValue: value }
  if (typeof value === 'bigint') return { DataType: 'Number', StringValue: value.toString() }
  if (typeof value === 'number') {
    // SQS numbers are decimal text: NaN and the infinities have no such text
    if (!Number.isFinite(value)) throw new TypeError(`Message attribute '${name}' is ${value}: SQS Number attributes must be finite.`)
    return { DataType: 'Number', StringValue: String(value) }
  }
  if (value instanceof Uint8Array) return { DataType: 'Binary', BinaryValue: value }
  return value
}

/** The SQS `MessageAttributes` map for a plain object, or undefined when there is nothing to send. */
export function toMessageAttributes(input: MessageAttributesInput | undefined): Record<string, MessageAttributeValue> | undefined {
  if (input === undefined) return undefined
  const entries = Object.entries(input)
  if (entries.length === 0) return undefined
  return Object.fromEntries(entries.map(([name, value]) => [name, toAttributeValue(name, value)]))
}

function fromAttributeValue(value: MessageAttributeValue): MessageAttributeOutput {
  const type = value.DataType ?? 'String'
  if (type.startsWith('Binary')) return value.BinaryValue ?? new Uint8Array()
  const text = value.StringValue ?? ''
  if (!type.startsWith('Number')) return text
  const number = Number(text)
  return Number.isInteger(number) && !Number.isSafeInteger(number) && /^[+-]?\d+$/.test(text) ? BigInt(text) : number
}

/** Received `MessageAttributes` as a plain object, the inverse of {@link toMessageAttributes}. */
export function fromMessageAttributes(attributes: Record<string, MessageAttributeValue> | undefined): MessageAttributesOutput {
  return Object.fromEntries(Object.entries(attributes ?? {}).map(([name, value]) => [name, fromAttributeValue(value)]))
}

/** What SQS counts for the attributes toward a message's size: each name, `DataType` and value, in bytes. */
export function messageAttributesSize(attributes: Record<string, MessageAttributeValue> | undefined): number {
  let bytes = 0
  for (const [name, value] of Object.entries(attributes ?? {})) {
    bytes += utf8Bytes(name) + utf8Bytes(value.DataType ?? '')
    bytes += value.BinaryValue !== undefined ? value.BinaryValue.length : utf8Bytes(value.StringValue ?? '')
  }
  return bytes
}
