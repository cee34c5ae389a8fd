/** @module batching — a message's size as SQS counts it, and splitting messages into batches by count and bytes. */
import type { MessageAttributeValue } from '@aws-sdk/client-sqs'
import { messageAttributesSize } from './attributes.js'
import { sqsLimits } from './limits.js'

/** Body bytes (UTF-8) plus attribute names, types and values: the size SQS checks against 1 MiB per message and per batch. */
export function messageSize(body: string, attributes?: Record<string, MessageAttributeValue>): number {
  return new TextEncoder().encode(body).length + messageAttributesSize(attributes)
}

/** The bounds of one batch request. */
export interface BatchLimits {
  maxEntries: number
  maxBytes: number
}

/**
 * Splits `items` into consecutive batches of at most `maxEntries` items and `maxBytes` total size, keeping their
 * order (FIFO sends rely on it). Greedy: a batch closes when the next item would break either limit. An item
 * larger than `maxBytes` on its own gets a batch of its own; callers reject such items before they get here.
 */
export function splitIntoBatches<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  limits: BatchLimits = { maxEntries: sqsLimits.batchMaxEntries, maxBytes: sqsLimits.batchMaxBytes },
): T[][] {
  const batches: T[][] = []
  let current: T[] = []
  let bytes = 0
  for (const item of items) {
    const size = sizeOf(item)
    if (current.length > 0 && (current.length === limits.maxEntries || bytes + size > limits.maxBytes)) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(item)
    bytes += size
  }
  if (current.length > 0) batches.push(current)
  return batches
}
