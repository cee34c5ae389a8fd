/** @module send — SendMessageBatch over any number of messages: split by count and size, retry only retryable entries. */
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs'
import { messageSize, splitIntoBatches } from './batching.js'
import { sqsLimits } from './limits.js'
import { defaultRetry, retryDelayMs, type RetryOptions } from './retry.js'
import { sleep } from './time.js'

/** Why one message was not sent: SQS's error code and message, and whether the request itself was at fault. */
export interface SendFailure {
  code: string
  message: string
  /** `true`: resending the same message fails again (bad input); `false`: the service failed and retries ran out. */
  senderFault: boolean
}

/** The outcome of one message of {@link Queue.sendMany}, at the index of its body. */
export type SendResult =
  | { ok: true; messageId: string; sequenceNumber?: string }
  | { ok: false; error: SendFailure }

/** A SendMessageBatch entry before it gets its batch `Id`. */
export type OutgoingMessage = Omit<SendMessageBatchRequestEntry, 'Id'>

interface Pending {
  index: number
  entry: OutgoingMessage
  size: number
}

/** Standard queues send this many batches at once; FIFO queues one at a time, so groups keep their order. */
const parallelBatches = 8

const tooLong = (size: number): SendFailure => ({
  code: 'InvalidParameterValue',
  message: `One or more parameters are invalid. Reason: Message must be shorter than ${sqsLimits.messageMaxBytes} bytes. It is ${size} bytes.`,
  senderFault: true,
})

function requestFailure(error: unknown): SendFailure {
  const e = error as { name?: string; message?: string; $fault?: string }
  return { code: e.name ?? 'Error', message: e.message ?? String(error), senderFault: e.$fault === 'client' }
}

/**
 * Sends `messages` and returns one result per message, in order. Entries that fail with `SenderFault: false`
 * are retried (only they, re-batched, after a jittered backoff); sender faults fail at once. A whole request
 * that throws has already been retried by the SDK's own retry strategy, so its entries fail as they are.
 * On a FIFO queue, once an entry of a group waits for a retry, the later entries of that group wait with it:
 * a retried entry never lands behind one sent after it from the same group.
 */
export async function sendInBatches(
  client: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
  options: { fifo: boolean; retry?: RetryOptions },
): Promise<SendResult[]> {
  const retry = { ...defaultRetry, ...options.retry }
  const results: SendResult[] = new Array(messages.length)
  let pending: Pending[] = []
  for (const [index, entry] of messages.entries()) {
    const size = messageSize(entry.MessageBody ?? '', entry.MessageAttributes)
    if (size > sqsLimits.messageMaxBytes) results[index] = { ok: false, error: tooLong(size) }
    else pending.push({ index, entry, size })
  }
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1) await sleep(retryDelayMs(attempt - 1, retry))
    const lastAttempt = attempt >= retry.maxAttempts
    const retryable: Pending[] = []
    const waitingGroups = new Set<string>()
    const sendOne = async (batch: Pending[]) => {
      // FIFO: entries behind a retried entry of their group wait for the next round too
      const ready = batch.filter((p) => !(p.entry.MessageGroupId && waitingGroups.has(p.entry.MessageGroupId)))
      retryable.push(...batch.filter((p) => !ready.includes(p)))
      if (ready.length === 0) return
      for (const failed of await sendBatch(client, queueUrl, ready, results)) {
        if (!failed.retryable || lastAttempt) results[failed.pending.index] = { ok: false, error: failed.error }
        else {
          retryable.push(failed.pending)
          if (options.fifo && failed.pending.entry.MessageGroupId) waitingGroups.add(failed.pending.entry.MessageGroupId)
        }
      }
    }
    const batches = splitIntoBatches(pending, (p) => p.size)
    await runLimited(batches, options.fifo ? 1 : parallelBatches, sendOne)
    pending = retryable.sort((a, b) => a.index - b.index)
  }
  return results
}

/** One SendMessageBatch: records successes in `results` and returns the failed entries with their errors. */
async function sendBatch(client: SQSClient, queueUrl: string, batch: Pending[], results: SendResult[]) {
  const byId = new Map(batch.map((p) => [String(p.index), p]))
  try {
    const output = await client.send(new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: batch.map((p) => ({ ...p.entry, Id: String(p.index) })),
    }))
    for (const ok of output.Successful ?? []) {
      const pending = byId.get(ok.Id ?? '')
      if (pending) results[pending.index] = { ok: true, messageId: ok.MessageId ?? '', sequenceNumber: ok.SequenceNumber }
    }
    const failures = (output.Failed ?? []).flatMap((failed) => {
      const pending = byId.get(failed.Id ?? '')
      const error = { code: failed.Code ?? 'Error', message: failed.Message ?? '', senderFault: failed.SenderFault ?? true }
      return pending ? [{ pending, error, retryable: !error.senderFault }] : []
    })
    // an entry in neither list may or may not be stored: report it, but do not risk a duplicate by resending
    const answered = new Set([...output.Successful ?? [], ...output.Failed ?? []].map((entry) => entry.Id))
    const unanswered = batch.filter((p) => !answered.has(String(p.index))).map((pending) => ({
      pending, error: { code: 'MissingBatchResult', message: 'SendMessageBatch returned no result for this entry.', senderFault: false }, retryable: false,
    }))
    return [...failures, ...unanswered]
  } catch (error) {
    return batch.map((pending) => ({ pending, error: requestFailure(error), retryable: false }))
  }
}

/** Runs `work` over `items` with at most `limit` running at once. */
async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0
  const worker = async () => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
