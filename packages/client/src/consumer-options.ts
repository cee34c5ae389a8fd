/** @module consumer-options — what `consume` (and `handleSqsEvent`) take and report: handlers, options, hooks, counts. */
import type { InvalidMessage, ReceivedMessage } from './message.js'

/** Passed to every handler call. */
export interface HandlerContext {
  /**
   * Aborted when the consumer gives up on the message: the shutdown timeout passed and the message was released
   * for another consumer. Pass it on to I/O so abandoned work stops.
   */
  signal: AbortSignal
}

/** Handles one message. Returning deletes it; throwing leaves it for redelivery. */
export type MessageHandler<T> = (message: ReceivedMessage<T>, context: HandlerContext) => unknown

/**
 * What a batch handler may return: the messages (or their `messageId`s) that failed. The others are deleted.
 * Throwing fails the whole batch.
 */
export interface BatchResult<T> {
  failed: ReadonlyArray<ReceivedMessage<T> | string>
}

/** Handles the valid messages of one ReceiveMessage at once. */
export type BatchHandler<T> = (messages: Array<ReceivedMessage<T>>, context: HandlerContext) => BatchResult<T> | void | Promise<BatchResult<T> | void>

/** The SQS action (or the handler) behind an error passed to `onError`. */
export type ConsumerOperation =
  | 'GetQueueUrl'
  | 'GetQueueAttributes'
  | 'ReceiveMessage'
  | 'DeleteMessageBatch'
  | 'ChangeMessageVisibility'
  | 'ChangeMessageVisibilityBatch'
  | 'handler'
  | 'hook'

/** Where an error passed to `onError` came from. */
export interface ErrorContext {
  operation: ConsumerOperation
  /** The message concerned, when there is one. */
  message?: ReceivedMessage<unknown>
}

/** How a received message left the consumer's hands. */
export type ProcessedOutcome =
  /** The handler returned; the message is queued for DeleteMessageBatch. */
  | 'succeeded'
  /** The handler threw (or the batch reported it): left for redelivery, after `retryBackoff` if set. */
  | 'failed'
  /**
   * Not handled to the end (shutdown, or an earlier message of its FIFO group failed): a consumer makes it visible
   * again at once, `handleSqsEvent` reports it in `batchItemFailures`.
   */
  | 'released'

/** Reported by `onProcessed` once per handled message. */
export interface ProcessedEvent<T> {
  message: ReceivedMessage<T>
  outcome: ProcessedOutcome
  /** From the receive to the outcome. */
  durationMs: number
  /** The handler's error, for `failed`. */
  error?: unknown
}

/** Running counts of a consumer. */
export interface ConsumerStats {
  /** Messages returned by ReceiveMessage. */
  received: number
  succeeded: number
  failed: number
  /** Messages whose body failed to parse or to match the schema. */
  invalid: number
  released: number
  /** Messages confirmed deleted by DeleteMessageBatch. */
  deleted: number
  /** Visibility renewals by heartbeats, one per message per beat (a beat renews a receive's messages in one ChangeMessageVisibilityBatch). */
  heartbeats: number
  /** Errors reported to `onError`. */
  errors: number
  /** Messages received and not yet settled. */
  inFlight: number
}

/** All counts at zero. */
export function emptyStats(): ConsumerStats {
  return { received: 0, succeeded: 0, failed: 0, invalid: 0, released: 0, deleted: 0, heartbeats: 0, errors: 0, inFlight: 0 }
}

/** The hooks of `consume` and `handleSqsEvent`. A hook that throws is reported to `onError`, never breaks processing. */
export interface MessageHooks<T> {
  /** Before the handler gets a message. */
  onMessage?: (message: ReceivedMessage<T>) => void
  /** After a message's outcome is known. */
  onProcessed?: (event: ProcessedEvent<T>) => void
  /** A message whose body is not valid: never handled, never deleted, so the redrive policy moves it to the DLQ. */
  onInvalid?: (message: InvalidMessage) => void
  /** Any failure: handler errors, and SQS calls that failed (a consumer's receives are retried with a backoff). */
  onError?: (error: unknown, context: ErrorContext) => void
}

/** Options of `consume`. Seconds where SQS uses seconds, milliseconds elsewhere. */
export interface ConsumeOptions<T> extends MessageHooks<T> {
  /** Messages held at once, received and not yet settled (FIFO: those waiting behind their group count too); batch handlers: batches. Default 10. */
  concurrency?: number
  /** MaxNumberOfMessages of each receive, 1–10. Default 10. */
  maxNumberOfMessages?: number
  /** Long-poll WaitTimeSeconds, 0–20. Default 20. */
  waitTimeSeconds?: number
  /** VisibilityTimeout asked on each receive, in seconds. Default: the queue's, read once with GetQueueAttributes. */
  visibilityTimeout?: number
  /** Seconds between heartbeats while a message is held, or `false` for none. Default: half the visibility timeout. */
  heartbeatIntervalSeconds?: number | false
  /** Seconds a failed (or invalid) message stays invisible, by its ApproximateReceiveCount. Default: the rest of its visibility timeout. */
  retryBackoff?: (approximateReceiveCount: number) => number
  /** After `stop()`, how long in-flight handlers may run before their messages are released. Default 30,000 ms. */
  shutdownTimeoutMs?: number
  /**
   * On `stop()`, let running long polls end by themselves (up to `waitTimeSeconds`) instead of aborting those still
   * out 0.75 s later. Aborting is the default: DQS gives the messages of an aborted receive back at once. Amazon
   * SQS does not: a message it received for a poll at the instant of the abort reappears only after its visibility
   * timeout, which waiting the polls out avoids, at the price of a stop that takes up to `waitTimeSeconds`.
   */
  waitOutPolls?: boolean
  /** Longest wait before a DeleteMessageBatch with fewer than 10 handles goes out. Default 50 ms. */
  deleteBatchDelayMs?: number
  /** Aborting it stops the consumer, as `stop()` does. */
  signal?: AbortSignal
}

/** A running consumer. */
export interface Consumer {
  /** Live counts. */
  readonly stats: Readonly<ConsumerStats>
  /** Resolves once the consumer has stopped and everything is settled. */
  readonly stopped: Promise<void>
  /**
   * Stops polling (aborting receives still out after 0.75 s, unless `waitOutPolls`), lets in-flight handlers
   * finish within `shutdownTimeoutMs`, releases (visibility 0) what is not done by then or not started, flushes
   * pending deletes, and resolves when all of that is over: within about a second when nothing is being processed.
   */
  stop(): Promise<void>
}
