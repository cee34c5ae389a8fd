/** @module protocol/errors — any failure as an SQS error in the request's dialect; a bug is a logged 500. */
import { InternalFailure, sqsErrorOf, type SqsError } from '@dqs/core'
import type { Dialect } from './detect.js'
import { jsonError } from './json.js'
import { queryErrorResponse } from './query-response.js'

/** SqsErrors and storage failures as core classifies them; anything else is our bug: logged, answered 500. */
function asSqsError(error: unknown): SqsError {
  const known = sqsErrorOf(error)
  if (known) return known
  console.error('dqs: internal error', error)
  return new InternalFailure()
}

const queryMessages: Record<string, string> = {
  'AWS.SimpleQueueService.NonExistentQueue': 'The specified queue does not exist for this wsdl version.',
}

export function errorResponse(dialect: Dialect, error: unknown, requestId: string): Response {
  const sqsError = asSqsError(error)
  if (dialect === 'json') return jsonError(sqsError, requestId)
  const { queryCode, fault, status, retryAfter } = sqsError
  const message = queryMessages[queryCode] ?? sqsError.message
  return queryErrorResponse(dialect, { queryCode, message, fault, status, retryAfter }, requestId)
}
