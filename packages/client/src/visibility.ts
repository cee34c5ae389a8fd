/** @module visibility — ChangeMessageVisibility(Batch): a failure's backoff, heartbeats, and releases (timeout 0). */
import { ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { sqsLimits } from './limits.js'

/** A ChangeMessageVisibilityBatch entry that failed, as an Error carrying SQS's code. */
export class ChangeMessageVisibilityError extends Error {
  override readonly name = 'ChangeMessageVisibilityError'
  constructor(readonly receiptHandle: string, readonly code: string, message: string) {
    super(`${code}: ${message}`)
  }
}

/** One receipt handle whose visibility could not be changed. */
export interface VisibilityFailure {
  receiptHandle: string
  error: Error
  /** `true`: the same change would fail again (the handle no longer works); `false`: SQS failed on its side. */
  senderFault: boolean
}

const clamp = (seconds: number) => Math.max(0, Math.min(sqsLimits.maxVisibilityTimeout, Math.round(seconds)))

/** Sets one message's visibility timeout; seconds are clamped to SQS's 0–43,200 range. Throws the SDK's error. */
export async function changeVisibility(client: SQSClient, queueUrl: string, receiptHandle: string, seconds: number) {
  await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: clamp(seconds) }))
}

/**
 * Sets the visibility timeout of many messages, ten per ChangeMessageVisibilityBatch, all batches in parallel.
 * Returns one failure per handle that was not changed (a whole request that threw fails each of its handles);
 * never throws.
 */
export async function changeVisibilityBatch(
  client: SQSClient, queueUrl: string, receiptHandles: readonly string[], seconds: number,
): Promise<VisibilityFailure[]> {
  const batches: string[][] = []
  for (let i = 0; i < receiptHandles.length; i += sqsLimits.batchMaxEntries) {
    batches.push(receiptHandles.slice(i, i + sqsLimits.batchMaxEntries))
  }
  const failures = await Promise.all(batches.map(async (batch): Promise<VisibilityFailure[]> => {
    try {
      const output = await client.send(new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((receiptHandle, i) => ({ Id: String(i), ReceiptHandle: receiptHandle, VisibilityTimeout: clamp(seconds) })),
      }))
      return (output.Failed ?? []).map((failed) => {
        const receiptHandle = batch[Number(failed.Id)] ?? ''
        const error = new ChangeMessageVisibilityError(receiptHandle, failed.Code ?? 'Error', failed.Message ?? '')
        return { receiptHandle, error, senderFault: failed.SenderFault ?? true }
      })
    } catch (error) {
      const senderFault = (error as { $fault?: string }).$fault === 'client'
      return batch.map((receiptHandle) => ({ receiptHandle, error: error as Error, senderFault }))
    }
  }))
  return failures.flat()
}
