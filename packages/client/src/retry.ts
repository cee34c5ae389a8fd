/** @module retry — backoff schedules: between retries of failed batch entries, and before a failed message's redelivery. */

/** How `sendMany` (and, with the defaults, the consumer's delete batches) retry entries that failed on the service's side. */
export interface RetryOptions {
  /** Attempts per entry, the first included. Default 4. */
  maxAttempts?: number
  /** The delay before the first retry, doubled on each next one (with full jitter). Default 100 ms. */
  baseDelayMs?: number
  /** The cap on one delay. Default 5,000 ms. */
  maxDelayMs?: number
}

export const defaultRetry: Required<RetryOptions> = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 5_000 }

/**
 * The wait before retry number `retry` (1 = first retry): "full jitter", a random point below the exponential
 * bound, so that many clients failing together do not retry together.
 */
export function retryDelayMs(retry: number, options: Required<RetryOptions>): number {
  const bound = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1))
  return Math.random() * bound
}

/**
 * A consumer `retryBackoff`: after a failure, the message stays invisible `baseSeconds × 2^(receiveCount − 1)`
 * seconds, capped at `maxSeconds` (and at SQS's 12-hour visibility limit by the consumer).
 *
 * @example
 * consume(orders, handle, { retryBackoff: exponentialBackoff({ baseSeconds: 5, maxSeconds: 300 }) })
 */
export function exponentialBackoff(options: { baseSeconds?: number; maxSeconds?: number } = {}): (approximateReceiveCount: number) => number {
  const { baseSeconds = 1, maxSeconds = 900 } = options
  return (approximateReceiveCount) => Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, approximateReceiveCount - 1))
}
