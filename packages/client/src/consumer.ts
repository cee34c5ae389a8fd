/** @module consumer — `consume(queue, handler, options)`: start-up, long polling with backpressure, graceful shutdown. */
import { randomUUID } from 'node:crypto'
import { GetQueueAttributesCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs'
import {
  emptyStats, type BatchHandler, type ConsumeOptions, type Consumer, type ConsumerOperation, type ConsumerStats,
  type ErrorContext, type MessageHandler,
} from './consumer-options.js'
import { DeleteBatcher } from './delete-batcher.js'
import { Dispatcher } from './dispatch.js'
import { InFlightMessages } from './in-flight.js'
import { sqsLimits } from './limits.js'
import type { MessageSource } from './queue.js'
import { retryDelayMs } from './retry.js'
import { Slots } from './slots.js'
import { SqsSettlement } from './sqs-settlement.js'
import { sleep } from './time.js'

/** Backoff between failed receives (and failed start-up calls): 0.5 s doubling to 20 s, never giving up. */
const pollRetry = { maxAttempts: Infinity, baseDelayMs: 500, maxDelayMs: 20_000 }
/** The most receives a consumer keeps in flight at once. */
const maxPollers = 10
/**
 * After stop(), how long receives already out may go on before they are aborted. One returning messages answers
 * well within it and is kept (cutting it off as its answer arrives would leave its messages hidden for their
 * visibility timeout); one still waiting is a long poll on an idle queue, and waiting it out could take 20 s.
 */
const pollGraceMs = 750

/** What the consumer has once the queue URL and visibility timeout are known. */
interface Ready<T> {
  queueUrl: string
  visibilityTimeout: number
  deletes: DeleteBatcher
  settlement: SqsSettlement
  inFlight: InFlightMessages<T>
  dispatcher: Dispatcher<T>
}

/**
 * Consumes a queue until stopped: long-polls, hands each message to `handler` (at most `concurrency` at once;
 * on FIFO queues one message per group at a time, in order), deletes what succeeded in batches, keeps slow
 * messages invisible with heartbeats, and leaves failures for redelivery (and, through the queue's redrive policy,
 * the dead-letter queue). With `batch: true`, the handler gets all valid messages of one receive at once.
 *
 * @example
 * const consumer = consume(orders, async (message) => { await ship(message.body) }, { concurrency: 20 })
 * process.once('SIGTERM', () => consumer.stop())
 */
export function consume<T>(queue: MessageSource<T>, handler: MessageHandler<T>, options?: ConsumeOptions<T> & { batch?: false }): Consumer
export function consume<T>(queue: MessageSource<T>, handler: BatchHandler<T>, options: ConsumeOptions<T> & { batch: true }): Consumer
export function consume<T>(
  queue: MessageSource<T>,
  handler: MessageHandler<T> | BatchHandler<T>,
  options: ConsumeOptions<T> & { batch?: boolean } = {},
): Consumer {
  return new QueueConsumer(queue, handler, options)
}

class QueueConsumer<T> implements Consumer {
  readonly stats: ConsumerStats = emptyStats()
  readonly stopped: Promise<void>
  /** Aborted by stop(): ends the polls and wakes the consumer's waits. */
  private readonly stopRequested = new AbortController()
  /** Aborted shortly after stop() (with `waitOutPolls`, when the shutdown timeout passes): cancels receives in flight. */
  private readonly receiveAbort = new AbortController()
  private readonly slots: Slots
  private readonly concurrency: number
  private readonly maxNumberOfMessages: number

  constructor(
    private readonly source: MessageSource<T>,
    private readonly handler: MessageHandler<T> | BatchHandler<T>,
    private readonly options: ConsumeOptions<T> & { batch?: boolean },
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 10)
    this.slots = new Slots(this.concurrency)
    this.maxNumberOfMessages = Math.min(sqsLimits.receiveMaxMessages, Math.max(1, options.maxNumberOfMessages ?? 10))
    const { signal } = options
    const onAbort = () => void this.stop()
    signal?.addEventListener('abort', onAbort, { once: true })
    this.stopped = this.run().finally(() => signal?.removeEventListener('abort', onAbort))
    if (signal?.aborted) onAbort()
  }

  stop(): Promise<void> {
    this.stopRequested.abort()
    this.slots.close()
    return this.stopped
  }

  private get stopping() {
    return this.stopRequested.signal.aborted
  }

  private readonly report = (error: unknown, context: ErrorContext) => {
    this.stats.errors++
    try {
      this.options.onError?.(error, context)
    } catch {
      // an onError that throws has nowhere left to report to
    }
  }

  private async run() {
    const ready = await this.setup()
    if (!ready) return
    const polling = this.poll(ready)
    if (!this.stopping) await new Promise((resolve) => this.stopRequested.signal.addEventListener('abort', resolve, { once: true }))
    if (!this.options.waitOutPolls) {
      const abortPolls = setTimeout(() => this.receiveAbort.abort(), pollGraceMs)
      const stopTimer = () => clearTimeout(abortPolls)
      polling.then(stopTimer, stopTimer)
    }
    // not started yet: give them back now rather than after the handlers in front of them
    ready.inFlight.release(ready.inFlight.inState('waiting'))
    const timeUp = new AbortController()
    const finished = Promise.all([polling, ready.dispatcher.idle()]).then(() => timeUp.abort())
    await Promise.race([finished, sleep(this.options.shutdownTimeoutMs ?? 30_000, timeUp.signal)])
    if (!timeUp.signal.aborted) {
      this.receiveAbort.abort()
      ready.inFlight.release([...ready.inFlight.inState('running'), ...ready.inFlight.inState('waiting')])
      await polling
    }
    timeUp.abort()
    // a delete can be queued while settling (after a heartbeat's last beat): flush, wait, flush again
    await ready.deletes.flush()
    await ready.settlement.settled()
    await ready.deletes.flush()
  }

  /** The queue URL and visibility timeout, retried with a backoff until they are known or the consumer stops. */
  private async setup(): Promise<Ready<T> | undefined> {
    for (let failures = 1; !this.stopping; failures++) {
      let operation: ConsumerOperation = 'GetQueueUrl'
      try {
        const queueUrl = await this.source.url()
        operation = 'GetQueueAttributes'
        const visibilityTimeout = this.options.visibilityTimeout ?? await this.queueVisibilityTimeout(queueUrl)
        const { client } = this.source
        const { options, stats, report, slots, concurrency } = this
        const deletes = new DeleteBatcher(client, queueUrl, options.deleteBatchDelayMs ?? 50)
        const settlement = new SqsSettlement({ client, queueUrl, visibilityTimeout, deletes, options, stats, report })
        const inFlight = new InFlightMessages<T>({ settlement, hooks: options, stats, report })
        const dispatcher = new Dispatcher({ source: this.source, inFlight, slots, concurrency, report }, this.handler, options.batch ?? false)
        return { queueUrl, visibilityTimeout, deletes, settlement, inFlight, dispatcher }
      } catch (error) {
        this.report(error, { operation })
        await sleep(retryDelayMs(failures, pollRetry), this.stopRequested.signal)
      }
    }
    return undefined
  }

  private async queueVisibilityTimeout(queueUrl: string) {
    const output = await this.source.client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }))
    return Number(output.Attributes?.VisibilityTimeout ?? 30)
  }

  /**
   * Receives with several long polls at once, enough to fill `concurrency` (one per 10 slots, at most 10 polls):
   * one poll's round trip would otherwise cap throughput whatever the concurrency.
   */
  private async poll(ready: Ready<T>) {
    const slotsPerReceive = this.options.batch ? 1 : this.maxNumberOfMessages
    const pollers = Math.min(maxPollers, Math.ceil(this.concurrency / slotsPerReceive))
    await Promise.all(Array.from({ length: Math.max(1, pollers) }, () => this.pollLoop(ready)))
  }

  /** Receives while there is room; a batch handler takes one slot per receive, a message handler one per message. */
  private async pollLoop(ready: Ready<T>) {
    for (let failures = 0; ;) {
      const reserved = await this.slots.reserve(this.options.batch ? 1 : this.maxNumberOfMessages)
      if (reserved === 0) return
      let messages: Message[]
      try {
        messages = await this.receive(ready, this.options.batch ? this.maxNumberOfMessages : reserved)
        failures = 0
      } catch (error) {
        if (this.receiveAbort.signal.aborted) return
        this.report(error, { operation: 'ReceiveMessage' })
        await sleep(retryDelayMs(++failures, pollRetry), this.stopRequested.signal)
        continue
      } finally {
        this.slots.unreserve(reserved)
      }
      this.stats.received += messages.length
      // stop() came while this receive was out: nothing new starts, the messages go straight back
      if (this.stopping) ready.settlement.releaseUnheld(messages.map((message) => message.ReceiptHandle!))
      else ready.dispatcher.dispatch(messages)
    }
  }

  private async receive(ready: Ready<T>, maxNumberOfMessages: number): Promise<Message[]> {
    const output = await this.source.client.send(new ReceiveMessageCommand({
      QueueUrl: ready.queueUrl,
      MaxNumberOfMessages: maxNumberOfMessages,
      WaitTimeSeconds: this.options.waitTimeSeconds ?? sqsLimits.maxWaitTimeSeconds,
      // asked on every receive, so heartbeats are timed from the timeout actually in force
      VisibilityTimeout: ready.visibilityTimeout,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
      // FIFO: an SDK retry of this receive gets the same messages back instead of hiding them
      ReceiveRequestAttemptId: this.source.fifo ? randomUUID() : undefined,
    }), { abortSignal: this.receiveAbort.signal })
    return output.Messages ?? []
  }
}
