/** @module protocol/errors — any failure as an SQS error in the request's dialect; a bug is a logged 500. */
import { InternalFailure, SqsError, toSqsError } from '@dqs/core'
import type { Dialect } from './detect.js'
import { jsonError } from './json.js'
import { queryErrorResponse } from './query-response.js'

/**
 * AWS SDK errors carry `$metadata`; socket failures carry a system error code (`ECONNRESET`) or a timeout name.
 * Node's own `ERR_*` codes are programming errors (a bad argument), not storage trouble: those are 500s.
 */
function isStorageFailure(error: unknown) {
  const e = error as { $metadata?: unknown; code?: unknown; name?: unknown }
  return e?.$metadata !== undefined || (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) ||
    (typeof e?.name === 'string' && /Timeout|Abort/.test(e.name))
}

/** SqsErrors pass through; storage failures become 503s; anything else is our bug: logged, answered 500. */
function asSqsError(error: unknown): SqsError {
  if (error instanceof SqsError) return error
  if (isStorageFailure(error)) return toSqsError(error)
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
