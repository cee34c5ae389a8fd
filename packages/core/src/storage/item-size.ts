/**
 * @module storage/item-size — a DynamoDB item's size by AWS's published rules ("Item sizes"): what a write of it is
 * billed (1 write unit per started KB), which DynamoDB Local does not report.
 */

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8')

/** 1 byte per two significant digits (leading and trailing zeros are not), plus 1. */
export function numberSize(text: string) {
  let digits = 0
  let significant = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 0x65 || code === 0x45) break // the exponent
    if (code < 0x30 || code > 0x39 || (digits === 0 && code === 0x30)) continue // sign, point, leading zeros
    digits++
    if (code !== 0x30) significant = digits
  }
  return Math.ceil(Math.max(1, significant) / 2) + 1
}

/** A value in document-client form (what lib-dynamodb commands carry). */
function documentValueSize(value: unknown): number {
  if (typeof value === 'string') return utf8(value)
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(String(value))
  if (typeof value === 'boolean' || value === null) return 1
  if (value instanceof Uint8Array) return value.byteLength
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + documentValueSize(v), 0)
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + documentValueSize(v), 0)
  if (typeof value === 'object') return 3 + documentItemSize(value) + Object.keys(value).length
  return 0
}

/** An item in document-client form: its attributes' names and values; undefined ones are not written. */
export function documentItemSize(item: object): number {
  let size = 0
  for (const name in item) {
    const value = (item as Record<string, unknown>)[name]
    if (value !== undefined) size += utf8(name) + documentValueSize(value)
  }
  return size
}

/** A write unit's worth of item. */
export const writeUnitBytes = 1024

/** Write units for one item write: 1 per KB, at least 1. */
export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / writeUnitBytes))
