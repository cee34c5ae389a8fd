/** @module sqs-settlement — what a consumer's outcomes do on SQS: heartbeats while held, then delete, backoff or release. */
import type { SQSClient } from '@aws-sdk/client-sqs'
import type { ConsumeOptions, ConsumerStats, ErrorContext } from './consumer-options.js'
import type { DeleteBatcher } from './delete-batcher.js'
import { startHeartbeat, type Heartbeat } from './heartbeat.js'
import type { Settlement } from './in-flight.js'
import type { ReceivedMessage } from './message.js'
import { changeVisibility, changeVisibilityBatch } from './visibility.js'

/** What the settlement needs from its consumer. */
export interface SqsSettlementSettings {
  client: SQSClient
  queueUrl: string
  visibilityTimeout: number
  deletes: DeleteBatcher
  options: Pick<ConsumeOptions<unknown>, 'heartbeatIntervalSeconds' | 'retryBackoff'>
  stats: ConsumerStats
  /** Counts an error and passes it to `onError`. */
  report: (error: unknown, context: ErrorContext) => void
}

type Message = ReceivedMessage<unknown>

/**
 * A consumer's {@link Settlement}: the messages of a receive share one heartbeat until each settles; a success is
 * deleted in a batch, a failure left for redelivery (after `retryBackoff` if set), a release made visible at once.
 * Each change waits for its message's last beat, so a beat never overtakes it.
 */
export class SqsSettlement implements Settlement {
  private readonly heartbeats = new Map<string, Heartbeat<Message>>()
  private readonly pending = new Set<Promise<void>>()

  constructor(private readonly settings: SqsSettlementSettings) {}

  held(messages: readonly Message[], receivedAt: number) {
    const { client, queueUrl, visibilityTimeout, options, stats, report } = this.settings
    const interval = options.heartbeatIntervalSeconds ?? visibilityTimeout / 2
    if (interval === false || interval <= 0) return
    const heartbeat = startHeartbeat({
      client, queueUrl, visibilityTimeout, intervalMs: interval * 1000,
      onBeat: () => stats.heartbeats++,
      onError: (error, message) => report(error, { operation: 'ChangeMessageVisibilityBatch', message }),
    }, messages, receivedAt)
    for (const message of messages) this.heartbeats.set(message.receiptHandle, heartbeat)
  }

  succeeded(message: Message) {
    this.track((async () => {
      await this.stopHeartbeat(message)
      const error = await this.settings.deletes.delete(message.receiptHandle)
      if (error) this.settings.report(error, { operation: 'DeleteMessageBatch', message })
      else this.settings.stats.deleted++
    })())
  }

  failed(message: Message) {
    const { retryBackoff } = this.settings.options
    this.track((async () => {
      await this.stopHeartbeat(message)
      if (!retryBackoff) return
      const { client, queueUrl } = this.settings
      await changeVisibility(client, queueUrl, message.receiptHandle, retryBackoff(message.approximateReceiveCount))
        .catch((error: unknown) => this.settings.report(error, { operation: 'ChangeMessageVisibility', message }))
    })())
  }

  released(messages: readonly Message[]) {
    this.track((async () => {
      await Promise.all(messages.map((message) => this.stopHeartbeat(message)))
      await this.releaseHandles(messages.map((message) => message.receiptHandle))
    })())
  }

  /** Makes messages that were never held (received during shutdown) visible again at once. */
  releaseUnheld(receiptHandles: readonly string[]) {
    this.settings.stats.released += receiptHandles.length
    this.track(this.releaseHandles(receiptHandles))
  }

  /** Resolves when every delete, backoff and release started so far is done (the delete batcher flushes on its timer). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending)
  }

  private async stopHeartbeat(message: Message) {
    const heartbeat = this.heartbeats.get(message.receiptHandle)
    this.heartbeats.delete(message.receiptHandle)
    await heartbeat?.stop(message)
  }

  /** Visibility timeout 0; a handle that fails is reported and left to its timeout. */
  private async releaseHandles(receiptHandles: readonly string[]) {
    const { client, queueUrl, report } = this.settings
    for (const { error } of await changeVisibilityBatch(client, queueUrl, receiptHandles, 0)) {
      report(error, { operation: 'ChangeMessageVisibilityBatch' })
    }
  }

  /** Keeps an operation until it ends; what can throw in one is a user hook (`retryBackoff`), so it is reported so. */
  private track(operation: Promise<void>) {
    const tracked = operation.catch((error: unknown) => this.settings.report(error, { operation: 'hook' }))
    this.pending.add(tracked)
    void tracked.finally(() => this.pending.delete(tracked))
  }
}
