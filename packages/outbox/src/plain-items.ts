/** @module plain-items — transaction items any document client marshals, whatever its marshall options. */

/**
 * The engine's items leave optional attributes `undefined` (its own client drops them); a caller's client without
 * `removeUndefinedValues` would refuse them, so they go. Byte arrays are kept as they are (Binary attributes).
 */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)])) as T
}
