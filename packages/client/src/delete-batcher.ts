/** @module delete-batcher — DeleteMessageBatch for handled messages: sent when 10 are pending or after a short delay. */
import { DeleteMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { sqsLimits } from './limits.js'
import { defaultRetry, retryDelayMs } from './retry.js'
import { sleep } from './time.js'

/** Why one receipt handle was not deleted. */
export class DeleteMessageError extends Error {
  override readonly name = 'DeleteMessageError'
  constructor(readonly code: string, message: string, readonly senderFault: boolean) {
    super(`${code}: ${message}`)
  }
}

interface PendingDelete {
  receiptHandle: string
  settle: (error?: Error) => void
}

/** Gathers receipt handles and deletes them ten at a time; `delete` resolves with the outcome of its handle. */
export class DeleteBatcher {
  private pending: PendingDelete[] = []
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly inFlight = new Set<Promise<void>>()

  constructor(private readonly client: SQSClient, private readonly queueUrl: string, private readonly maxDelayMs: number) {}

  /** Queues a handle for deletion; resolves when it is deleted, or with the error that kept it (never rejects). */
  delete(receiptHandle: string): Promise<Error | undefined> {
    return new Promise((resolve) => {
      this.pending.push({ receiptHandle, settle: resolve })
      if (this.pending.length >= sqsLimits.batchMaxEntries) this.sendPending()
      else this.timer ??= setTimeout(() => this.sendPending(), this.maxDelayMs)
    })
  }

  /** Sends whatever is pending now and waits for every request started so far. */
  async flush(): Promise<void> {
    this.sendPending()
    while (this.inFlight.size > 0) await Promise.all(this.inFlight)
  }

  private sendPending() {
    clearTimeout(this.timer)
    this.timer = undefined
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, sqsLimits.batchMaxEntries)
      const request = this.deleteBatch(batch).finally(() => this.inFlight.delete(request))
      this.inFlight.add(request)
    }
  }

  /** One batch, retrying the entries SQS failed on its side (`SenderFault: false`) with a jittered backoff. */
  private async deleteBatch(batch: PendingDelete[]) {
    let remaining = batch
    for (let attempt = 1; remaining.length > 0; attempt++) {
      if (attempt > 1) await sleep(retryDelayMs(attempt - 1, defaultRetry))
      const byId = new Map(remaining.map((entry, i) => [String(i), entry]))
      try {
        const output = await this.client.send(new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: remaining.map((entry, i) => ({ Id: String(i), ReceiptHandle: entry.receiptHandle })),
        }))
        for (const ok of output.Successful ?? []) byId.get(ok.Id ?? '')?.settle()
        const retryable: PendingDelete[] = []
        for (const failed of output.Failed ?? []) {
          const entry = byId.get(failed.Id ?? '')
          if (!entry) continue
          const senderFault = failed.SenderFault ?? true
          if (!senderFault && attempt < defaultRetry.maxAttempts) retryable.push(entry)
          else entry.settle(new DeleteMessageError(failed.Code ?? 'Error', failed.Message ?? '', senderFault))
        }
        remaining = retryable
      } catch (error) {
        // the SDK's retry strategy has already retried the request itself
        for (const entry of remaining) entry.settle(error as Error)
        remaining = []
      }
    }
  }
}
