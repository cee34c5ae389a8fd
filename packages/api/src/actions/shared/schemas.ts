/** @module actions/shared/schemas — input pieces many actions share, with SQS's reasons for bad values. */
import * as z from 'zod'

export const queueUrl = z.string()

/** A string → string map (`Attributes`, `Tags`): values are strings on the wire. */
export const stringMap = z.record(z.string(), z.string())

export const stringList = z.array(z.string())

/**
 * An integer parameter within [min, max]: accepts a number, or the digits Query sends as text; anything else
 * fails with SQS's reason for that parameter.
 */
export function integerIn(min: number, max: number, reason: string) {
  return z.unknown().transform((value, ctx) => {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: reason, params: { reason } })
      return z.NEVER
    }
    return n
  })
}
