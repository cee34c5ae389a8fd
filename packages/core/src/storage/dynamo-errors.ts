/** @module storage/dynamo-errors — DynamoDB failures as SQS sees them: contention, or a retryable 503. */
import { InvalidParameterValue, ServiceUnavailable, SqsError } from '../errors.js'

const throttling = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'LimitExceededException',
])

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException'
}

/** Cancellation reasons of a transaction (`TransactionCanceledException`), or null for other errors. */
export function cancellationReasons(error: unknown): Array<{ Code?: string; Item?: Record<string, unknown> }> | null {
  const e = error as { name?: string; CancellationReasons?: Array<{ Code?: string; Item?: Record<string, unknown> }> }
  return e?.name === 'TransactionCanceledException' ? (e.CancellationReasons ?? []) : null
}

/**
 * Any DynamoDB or network failure that reaches an action becomes a retryable 503, so SDK retries do the right
 * thing and nothing un-written is ever acknowledged; SqsErrors pass through unchanged. The exception is a request
 * DynamoDB refuses as such (a key over 1 KB, say, from input nothing validated before): the same request would
 * fail forever, so it is the caller's 400, not a 503 that SDKs retry.
 */
export function toSqsError(error: unknown): SqsError {
  if (error instanceof SqsError) return error
  const name = (error as { name?: string })?.name ?? ''
  if (throttling.has(name)) return new ServiceUnavailable('Request rate is too high for the queue storage; retry with backoff.')
  if (name === 'ValidationException') return new InvalidParameterValue('One or more parameters are invalid: a value is too long or malformed to be stored or looked up.')
  return new ServiceUnavailable()
}
