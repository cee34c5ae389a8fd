/** @module actions/shared/schemas — input pieces many actions share, with SQS's reasons for bad values. */
import * as z from 'zod'

export const queueUrl = z.string()

/** A string → string map (`Attributes`, `Tags`): values are strings on the wire. */
export const stringMap = z.record(z.string(), z.string())

export const stringList = z.array(z.string())

/**
 * `AttributeNames`, `MessageAttributeNames` and the like: a blank name names nothing. Older Query clients send an
 * empty list as one blank item (`AttributeName.1=`), which SQS takes to mean none, not an unknown attribute.
 */
export const nameList = stringList.transform((names) => names.filter((name) => name !== ''))

/** Anything outside XML 1.0's characters, which SQS also allows in message bodies; `u` makes a lone surrogate one. */
const invalidCharacter = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

const tagCharactersReason =
  'Tag keys and values can only contain the characters #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.'

/**
 * Tags (`Tags`, CreateQueue's `tags`): ListQueueTags writes them back in XML to Query clients, so keys and values
 * hold only characters XML 1.0 can carry — the set SQS allows in message bodies (docs/reference/sqs.md §b).
 */
export const tagMap = stringMap.refine(
  (tags) => Object.entries(tags).every(([key, value]) => !invalidCharacter.test(key) && !invalidCharacter.test(value)),
  { message: tagCharactersReason, params: { reason: tagCharactersReason } },
)

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
