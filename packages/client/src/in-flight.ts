/** @module in-flight — the messages a consumer holds: their heartbeats, and how each one settles (delete, backoff, release). */
import type { SQSClient } from '@aws-sdk/client-sqs'
import type { ConsumeOptions, ConsumerStats, ErrorContext, ProcessedOutcome } from './consumer-options.js'
import type { DeleteBatcher } from './delete-batcher.js'
import { startHeartbeat, type Heartbeat } from './heartbeat.js'
import type { InvalidMessage, ReceivedMessage } from './message.js'
import { now } from './time.js'
import { changeVisibility, releaseMessages } from './visibility.js'

/** A received message between its receive and its outcome. */
export interface HeldMessage<T> {
  readonly message: ReceivedMessage<T>
  readonly receivedAt: number
  /** `waiting` for its turn (concurrency, FIFO group), `running` in the handler, `settled` once its outcome is decided. */
  state: 'waiting' | 'running' | 'settled'
  /** Aborted when the consumer gives the message up while the handler still runs. */
  readonly abort: AbortController
  readonly heartbeat: Heartbeat | undefined
  /** Frees the consumer's capacity for this message. */
  readonly onSettled: () => void
}

/** What the ledger needs from its consumer. */
export interface InFlightSettings<T> {
  client: SQSClient
  queueUrl: string
  visibilityTimeout: number
  deletes: DeleteBatcher
  options: ConsumeOptions<T>
  stats: ConsumerStats
  /** Counts an error and passes it to `onError`. */
  report: (error: unknown, context: ErrorContext) => void
}

/** Calls a user hook; a hook that throws is reported, never allowed to break the consumer. */
export function callHook<A extends unknown[]>(hook: ((...args: A) => void) | undefined, report: (error: unknown, context: ErrorContext) => void, ...args: A) {
  try {
    hook?.(...args)
  } catch (error) {
    report(error, { operation: 'hook' })
  }
}

/**
 * The consumer's ledger of held messages. Every message settles exactly once: the first outcome wins, so a
 * handler finishing after its message was released (shutdown timeout) changes nothing.
 */
export class InFlightMessages<T> {
  private readonly held = new Map<string, HeldMessage<T>>()
  private readonly settling = new Set<Promise<void>>()

  constructor(private readonly settings: InFlightSettings<T>) {}

  /** Starts holding a message: it counts as in flight and its heartbeat runs until it settles. */
  hold(message: ReceivedMessage<T>, receivedAt: number, onSettled: () => void): HeldMessage<T> {
    const { client, queueUrl, visibilityTimeout, options, stats } = this.settings
    const interval = options.heartbeatIntervalSeconds ?? visibilityTimeout / 2
    const heartbeat = interval === false || interval <= 0 ? undefined : startHeartbeat({
      client, queueUrl, visibilityTimeout, intervalMs: interval * 1000,
      onBeat: () => stats.heartbeats++,
      onError: (error) => this.settings.report(error, { operation: 'ChangeMessageVisibility', message }),
    }, message.receiptHandle, receivedAt)
    const entry: HeldMessage<T> = { message, receivedAt, state: 'waiting', abort: new AbortController(), heartbeat, onSettled }
    this.held.set(message.receiptHandle, entry)
    stats.inFlight++
    return entry
  }

  /** Held messages in a state, for shutdown. */
  inState(state: HeldMessage<T>['state']): Array<HeldMessage<T>> {
    return [...this.held.values()].filter((entry) => entry.state === state)
  }

  /** The handler returned: stop the heartbeat, then delete (in a batch). */
  succeed(entry: HeldMessage<T>) {
    if (!this.settle(entry, 'succeeded')) return
    this.track((async () => {
      await entry.heartbeat?.stop()
      const error = await this.settings.deletes.delete(entry.message.receiptHandle)
      if (error) this.settings.report(error, { operation: 'DeleteMessageBatch', message: entry.message })
      else this.settings.stats.deleted++
    })())
  }

  /** The handler threw: report it and leave the message for redelivery, after `retryBackoff` if set. */
  fail(entry: HeldMessage<T>, error: unknown) {
    if (!this.settle(entry, 'failed', error)) return
    this.settings.report(error, { operation: 'handler', message: entry.message })
    this.backoff(entry.message, entry.heartbeat)
  }

  /** The body is not valid: `onInvalid`, and left for redelivery (so for the DLQ) like a failure, never deleted or held. */
  invalid(message: InvalidMessage) {
    this.settings.stats.invalid++
    callHook(this.settings.options.onInvalid, this.settings.report, message)
    this.backoff(message, undefined)
  }

  /** Makes held messages visible again at once and aborts their handlers. */
  release(entries: ReadonlyArray<HeldMessage<T>>) {
    const released = entries.filter((entry) => this.settle(entry, 'released'))
    if (released.length === 0) return
    for (const entry of released) entry.abort.abort()
    this.track((async () => {
      await Promise.all(released.map((entry) => entry.heartbeat?.stop()))
      await this.releaseHandles(released.map((entry) => entry.message.receiptHandle))
    })())
  }

  /** Makes messages that were never held (received during shutdown) visible again at once. */
  releaseUnheld(receiptHandles: readonly string[]) {
    this.settings.stats.released += receiptHandles.length
    this.track(this.releaseHandles(receiptHandles))
  }

  /** Resolves when every delete, backoff and release started so far is done (the delete batcher flushes on its timer). */
  async settled(): Promise<void> {
    while (this.settling.size > 0) await Promise.all(this.settling)
  }

  /** ChangeMessageVisibilityBatch with timeout 0; a handle that fails is reported and left to its timeout. */
  private async releaseHandles(receiptHandles: readonly string[]) {
    const { client, queueUrl, report } = this.settings
    for (const error of await releaseMessages(client, queueUrl, receiptHandles)) {
      report(error, { operation: 'ChangeMessageVisibilityBatch' })
    }
  }

  /** Leaves a message for redelivery: after its heartbeat's last beat, invisible for `retryBackoff` seconds if set. */
  private backoff(message: ReceivedMessage<unknown>, heartbeat: Heartbeat | undefined) {
    const { retryBackoff } = this.settings.options
    this.track((async () => {
      await heartbeat?.stop()
      if (!retryBackoff) return
      const { client, queueUrl } = this.settings
      await changeVisibility(client, queueUrl, message.receiptHandle, retryBackoff(message.approximateReceiveCount))
        .catch((error: unknown) => this.settings.report(error, { operation: 'ChangeMessageVisibility', message }))
    })())
  }

  /** Decides a message's outcome once; false when it had one already. */
  private settle(entry: HeldMessage<T>, outcome: ProcessedOutcome, error?: unknown): boolean {
    if (entry.state === 'settled') return false
    entry.state = 'settled'
    this.held.delete(entry.message.receiptHandle)
    const { stats, options } = this.settings
    stats.inFlight--
    stats[outcome]++
    const event = { message: entry.message, outcome, durationMs: now() - entry.receivedAt, ...(error === undefined ? {} : { error }) }
    callHook(options.onProcessed, this.settings.report, event)
    entry.onSettled()
    return true
  }

  /** Keeps a settling operation until it ends; what can throw in one is a user hook (`retryBackoff`), so it is reported so. */
  private track(operation: Promise<void>) {
    const tracked = operation.catch((error: unknown) => this.settings.report(error, { operation: 'hook' }))
    this.settling.add(tracked)
    void tracked.finally(() => this.settling.delete(tracked))
  }
}
