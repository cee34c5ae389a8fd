/**
 * @module storage/dynamo-errors — DynamoDB failures as SQS sees them: contention, a retryable 503, or the caller's
 * 400; told apart from bugs by where they arose, not by their shape.
 */
import { InvalidParameterValue, ServiceUnavailable, SqsError } from '../errors.js'

/** Set on whatever the DynamoDB client threw (createDb installs `markStorageFailures`): the request failed there. */
const fromStorage = Symbol('dqs.fromStorage')

const throttling = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'LimitExceededException',
])

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException'
}

/**
 * A conditional write's outcome: what `write` returns, or `otherwise` when its condition failed (another writer got
 * there first, or the item is not in the state the write needs). Any other failure is thrown.
 */
export async function unlessConditionFails<T, F>(write: () => Promise<T>, otherwise: F): Promise<T | F> {
  try {
    return await write()
  } catch (error) {
    if (isConditionFailure(error)) return otherwise
    throw error
  }
}

/** Cancellation reasons of a transaction (`TransactionCanceledException`), or null for other errors. */
export function cancellationReasons(error: unknown): Array<{ Code?: string; Item?: Record<string, unknown> }> | null {
  const e = error as { name?: string; CancellationReasons?: Array<{ Code?: string; Item?: Record<string, unknown> }> }
  return e?.name === 'TransactionCanceledException' ? (e.CancellationReasons ?? []) : null
}

/**
 * Middleware for a DynamoDB client: everything a request throws (a DynamoDB error, a dropped connection, a timeout,
 * an ambiguous write) is marked as a storage failure, unchanged otherwise, so storage code still reads conditions
 * and cancellation reasons from it.
 */
export function markStorageFailures(next: (args: any) => Promise<any>) {
  return async (args: any) => {
    try {
      return await next(args)
    } catch (error) {
      const marked = error !== null && typeof error === 'object' ? error : new Error(String(error))
      if (Object.isExtensible(marked)) Object.defineProperty(marked, fromStorage, { value: true })
      throw marked
    }
  }
}

/** What SQS clients are answered when DynamoDB throttles: a 503 their SDKs retry with backoff. */
export const storageThrottled = () => new ServiceUnavailable('Request rate is too high for the queue storage; retry with backoff.')

/**
 * The one map from a failure to the SQS error it is, or null when it is not a storage failure (a bug: the caller
 * logs it and answers 500). SqsErrors pass through. Any DynamoDB or network failure becomes a retryable 503, so SDK
 * retries do the right thing and nothing un-written is ever acknowledged. The exception is a request DynamoDB
 * refuses as such (a key over 1 KB, say, from input nothing validated before): the same request would fail
 * forever, so it is the caller's 400, not a 503 that SDKs retry.
 */
export function sqsErrorOf(error: unknown): SqsError | null {
  if (error instanceof SqsError) return error
  if (!(error as { [fromStorage]?: boolean })?.[fromStorage]) return null
  const name = (error as { name?: string }).name ?? ''
  if (throttling.has(name)) return storageThrottled()
  if (name === 'ValidationException') return new InvalidParameterValue('One or more parameters are invalid: a value is too long or malformed to be stored or looked up.')
  return new ServiceUnavailable()
}
