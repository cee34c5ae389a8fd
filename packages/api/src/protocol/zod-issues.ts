/** @module protocol/zod-issues — a failed input schema as the SQS error SQS gives for that parameter. */
import { InvalidParameterValue, MissingParameter, type SqsError } from '@dqs/core'
import type { ZodError } from 'zod'

/** The wire name of a path: `Entries.2.Id` style, as SQS names nested parameters. */
const parameterName = (path: PropertyKey[]) => path.map(String).join('.')

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined
  return value
}

/**
 * How much of a rejected value an error message quotes: the value is the caller's, of any size and depth; the
 * longest value SQS itself quotes is a receipt handle (up to 1,024 characters).
 */
const maxShown = 1024

/**
 * A rejected value as the message quotes it: strings as they are, anything else as JSON, cut at `maxShown`
 * characters and two levels down. Walking only what is quoted keeps a value nested thousands deep or a million
 * wide from costing more than the quote (JSON.stringify would recurse through all of it, and overflow the stack).
 */
function show(value: unknown): string {
  const text = typeof value === 'string' ? value : preview(value, 2, { left: maxShown })
  return text.length > maxShown ? `${text.slice(0, maxShown)}…` : text
}

function preview(value: unknown, depth: number, budget: { left: number }): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value)
  const items = Array.isArray(value) ? value : undefined
  if (depth === 0) return items ? '[…]' : '{…}'
  const keys = items ? undefined : Object.keys(value)
  const count = items ? items.length : keys!.length
  const parts: string[] = []
  for (let i = 0; i < count; i++) {
    if (budget.left <= 0) {
      parts.push('…')
      break
    }
    const part = items
      ? preview(items[i], depth - 1, budget)
      : `${JSON.stringify(keys![i])}:${preview((value as Record<string, unknown>)[keys![i]!], depth - 1, budget)}`
    budget.left -= part.length + 1
    parts.push(part)
  }
  return items ? `[${parts.join(',')}]` : `{${parts.join(',')}}`
}

/**
 * Missing → MissingParameter; a refinement that states its reason (`params.reason`) → SQS's
 * "Value X for parameter P is invalid. Reason: …"; any other shape problem → InvalidParameterValue.
 */
export function zodToSqsError(error: ZodError, input: unknown): SqsError {
  const issue = error.issues[0]!
  const name = parameterName(issue.path)
  const value = valueAt(input, issue.path)
  if (value === undefined && issue.code === 'invalid_type') return new MissingParameter(name)
  const reason = (issue as { params?: { reason?: string } }).params?.reason
  if (reason) return new InvalidParameterValue(`Value ${show(value)} for parameter ${name} is invalid. Reason: ${reason}`)
  return new InvalidParameterValue(`Value ${show(value)} for parameter ${name} is invalid. Reason: ${issue.message}.`)
}
