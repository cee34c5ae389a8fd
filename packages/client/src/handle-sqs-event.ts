/** @module handle-sqs-event — `handleSqsEvent(queue, handler, options)`: a Lambda SQS event handled as `consume` handles a receive. */
import { emptyStats, type ErrorContext, type MessageHandler, type MessageHooks } from './consumer-options.js'
import { Dispatcher } from './dispatch.js'
import { callHook, InFlightMessages, type Settlement } from './in-flight.js'
import { toSdkMessage, type LambdaSqsEvent, type PartialBatchResponse } from './lambda-event.js'
import type { ReceivedMessage } from './message.js'
import type { MessageSource } from './queue.js'

/** Options of {@link handleSqsEvent}. */
export interface HandleSqsEventOptions<T> extends MessageHooks<T> {
  /** Handlers running at once. Default 10. On FIFO queues a group's records still run one after another. */
  concurrency?: number
}

/** The function {@link handleSqsEvent} returns: assignable to `@types/aws-lambda`'s `SQSHandler`. */
export type SqsEventHandler = (event: LambdaSqsEvent) => Promise<PartialBatchResponse>

/**
 * A Lambda handler for an SQS (or DQS) event source mapping with `ReportBatchItemFailures`. Each record is parsed
 * with the queue's format and schema and handled as `consume` handles a receive: at most `concurrency` at once,
 * and on FIFO queues a group's records one after another, in order. The response lists the records to leave on
 * the queue: those whose handler threw, those whose body is invalid (so the redrive policy moves them to the
 * dead-letter queue), and on FIFO queues the records after a failure in the same group, not handled (as Powertools'
 * `SqsFifoPartialProcessor` with `skipGroupOnError`). Lambda deletes the others.
 *
 * @example
 * export const handler = handleSqsEvent(orders, async (message) => { await ship(message.body) }, { concurrency: 5 })
 */
export function handleSqsEvent<T>(
  queue: Pick<MessageSource<T>, 'fifo' | 'parse'>,
  handler: MessageHandler<T>,
  options: HandleSqsEventOptions<T> = {},
): SqsEventHandler {
  return async (event) => {
    if (!Array.isArray(event?.Records)) throw new TypeError('handleSqsEvent expects an SQS event: an object with a Records array.')
    const failed = new Set<string>()
    const fail = (message: ReceivedMessage<unknown>) => failed.add(message.messageId)
    const settlement: Settlement = { held() {}, succeeded() {}, failed: fail, released: (messages) => messages.forEach(fail) }
    // an onError that throws has nowhere left to report to
    const report = (error: unknown, context: ErrorContext) => callHook(options.onError, () => {}, error, context)
    const inFlight = new InFlightMessages<T>({ settlement, hooks: options, stats: emptyStats(), report })
    const dispatcher = new Dispatcher({ source: queue, inFlight, concurrency: options.concurrency ?? 10, report }, handler, false)
    dispatcher.dispatch(event.Records.map(toSdkMessage))
    await dispatcher.idle()
    return { batchItemFailures: event.Records.filter((record) => failed.has(record.messageId)).map((record) => ({ itemIdentifier: record.messageId })) }
  }
}
