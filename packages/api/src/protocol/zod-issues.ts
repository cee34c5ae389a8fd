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

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value))

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
