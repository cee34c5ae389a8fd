/** @module bench/support/item-size — DynamoDB item sizes by AWS's published rules, to bill what DynamoDB Local does not report. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8')

/** 1 byte per two significant digits, plus 1 (AWS: "Item sizes"). */
function numberSize(text: string) {
  const digits = text.replace(/^-/, '').replace('.', '').replace(/e.*$/i, '').replace(/^0+/, '').replace(/0+$/, '')
  return Math.ceil(Math.max(1, digits.length) / 2) + 1
}

/** A value in document-client form (what lib-dynamodb commands carry). */
function documentValueSize(value: unknown): number {
  if (typeof value === 'string') return utf8(value)
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(String(value))
  if (typeof value === 'boolean' || value === null) return 1
  if (value instanceof Uint8Array) return value.byteLength
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + documentValueSize(v), 0)
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + documentValueSize(v), 0)
  if (typeof value === 'object') return 3 + documentItemSize(value as Record<string, unknown>) + Object.keys(value).length
  return 0
}

export function documentItemSize(item: Record<string, unknown>): number {
  let size = 0
  for (const [name, value] of Object.entries(item)) if (value !== undefined) size += utf8(name) + documentValueSize(value)
  return size
}

/** A value in wire form (what a ConditionalCheckFailedException's `Item` carries). */
function wireValueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S)
  if (value.N !== undefined) return numberSize(value.N)
  if (value.B !== undefined) return value.B.byteLength
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1
  if (value.SS) return value.SS.reduce((sum, v) => sum + utf8(v), 0)
  if (value.NS) return value.NS.reduce((sum, v) => sum + numberSize(v), 0)
  if (value.BS) return value.BS.reduce((sum, v) => sum + v.byteLength, 0)
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + wireValueSize(v), 0)
  if (value.M) return 3 + wireItemSize(value.M) + Object.keys(value.M).length
  return 0
}

export function wireItemSize(item: Record<string, AttributeValue>): number {
  let size = 0
  for (const [name, value] of Object.entries(item)) size += utf8(name) + wireValueSize(value)
  return size
}

/** Write units for one item write: 1 per KB, at least 1. */
export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024))
