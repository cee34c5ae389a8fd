/** @module visibility — ChangeMessageVisibility(Batch) for a consumer's failures (backoff) and releases (timeout 0). */
import { ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { sqsLimits } from './limits.js'

/** A ChangeMessageVisibilityBatch entry that failed, as an Error carrying SQS's code. */
export class ChangeMessageVisibilityError extends Error {
  override readonly name = 'ChangeMessageVisibilityError'
  constructor(readonly receiptHandle: string, readonly code: string, message: string) {
    super(`${code}: ${message}`)
  }
}

/** Sets one message's visibility timeout; seconds are clamped to SQS's 0–43,200 range. Throws the SDK's error. */
export async function changeVisibility(client: SQSClient, queueUrl: string, receiptHandle: string, seconds: number) {
  const visibilityTimeout = Math.max(0, Math.min(sqsLimits.maxVisibilityTimeout, Math.round(seconds)))
  await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: visibilityTimeout }))
}

/**
 * Makes messages visible again at once (visibility timeout 0), ten per ChangeMessageVisibilityBatch, all batches
 * in parallel. Returns the errors, one per handle that could not be released; never throws.
 */
export async function releaseMessages(client: SQSClient, queueUrl: string, receiptHandles: readonly string[]): Promise<Error[]> {
  const batches: string[][] = []
  for (let i = 0; i < receiptHandles.length; i += sqsLimits.batchMaxEntries) {
    batches.push(receiptHandles.slice(i, i + sqsLimits.batchMaxEntries))
  }
  const errors = await Promise.all(batches.map(async (batch): Promise<Error[]> => {
    try {
      const output = await client.send(new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((receiptHandle, i) => ({ Id: String(i), ReceiptHandle: receiptHandle, VisibilityTimeout: 0 })),
      }))
      return (output.Failed ?? []).map((failed) =>
        new ChangeMessageVisibilityError(batch[Number(failed.Id)] ?? '', failed.Code ?? 'Error', failed.Message ?? ''))
    } catch (error) {
      return batch.map(() => error as Error)
    }
  }))
  return errors.flat()
}
