/** @module dispatch — hands received messages to the handler: a task per message or per receive, in FIFO group order. */
import type { Message } from '@aws-sdk/client-sqs'
import type { BatchHandler, ErrorContext, MessageHandler } from './consumer-options.js'
import { GroupSequencer } from './group-sequencer.js'
import type { HeldMessage, InFlightMessages } from './in-flight.js'
import { createLimiter, type Limiter } from './limiter.js'
import type { MessageSource, ParsedMessage } from './queue.js'
import type { Slots } from './slots.js'
import { now } from './time.js'

/** What the dispatcher works with. */
export interface DispatchSettings<T> {
  source: Pick<MessageSource<T>, 'fifo' | 'parse'>
  inFlight: InFlightMessages<T>
  /** A consumer's capacity, taken per held message (batch handlers: per receive) and freed as it settles. */
  slots?: Slots
  /**
   * Handler calls running at once. A consumer never reaches it (it receives only for free slots); a Lambda event
   * brings all its records at once, and this is what holds them back.
   */
  concurrency: number
  report: (error: unknown, context: ErrorContext) => void
}

/**
 * Turns received messages into handler calls. On FIFO queues a group's tasks run one after another in receive
 * order (a batch waits for every earlier task of any of its groups); and within one receive, once a group's
 * message failed or was invalid, its later messages are released instead of handled: handling them would put
 * them before the failed one.
 */
export class Dispatcher<T> {
  private readonly sequencer = new GroupSequencer()
  private readonly tasks = new Set<Promise<void>>()
  private readonly limit: Limiter

  constructor(
    private readonly settings: DispatchSettings<T>,
    private readonly handler: MessageHandler<T> | BatchHandler<T>,
    private readonly batch: boolean,
  ) {
    this.limit = createLimiter(Math.max(1, settings.concurrency))
  }

  dispatch(messages: Message[]) {
    if (messages.length === 0) return
    if (this.batch) this.dispatchBatch(messages)
    else this.dispatchEach(messages)
  }

  /** Resolves when no task runs or waits. */
  async idle() {
    while (this.tasks.size > 0) await Promise.all(this.tasks)
  }

  private dispatchEach(messages: Message[]) {
    const { inFlight, slots } = this.settings
    const { parsed, held } = this.receive(messages, () => slots?.free())
    slots?.take(held.length)
    const failedGroups = new Set<string>()
    let next = 0
    for (const p of parsed) {
      const group = this.groupOf(p)
      const groups = group === undefined ? [] : [group]
      if (!p.ok) {
        this.spawn(groups, async () => {
          inFlight.invalid(p.message)
          if (group !== undefined) failedGroups.add(group)
        })
        continue
      }
      const entry = held[next++]!
      this.spawn(groups, async () => {
        if (group !== undefined && failedGroups.has(group)) return inFlight.release([entry])
        await this.limit(async () => {
          if (!inFlight.start(entry)) return
          try {
            await (this.handler as MessageHandler<T>)(entry.message, { signal: entry.abort.signal })
            inFlight.succeed(entry)
          } catch (error) {
            if (group !== undefined) failedGroups.add(group)
            inFlight.fail(entry, error)
          }
        })
      })
    }
  }

  /** One task for the whole receive; its slot is free once every valid message in it has settled. */
  private dispatchBatch(messages: Message[]) {
    const { inFlight, slots } = this.settings
    let unsettled = 0
    const { parsed, held } = this.receive(messages, () => --unsettled === 0 && slots?.free())
    unsettled = held.length
    if (unsettled > 0) slots?.take(1)
    const groups = [...new Set(parsed.flatMap((p) => this.groupOf(p) ?? []))]
    this.spawn(groups, () => this.limit(async () => {
      const failedGroups = new Set<string>()
      const toHandle: Array<HeldMessage<T>> = []
      let next = 0
      for (const p of parsed) {
        const group = this.groupOf(p)
        if (!p.ok) {
          inFlight.invalid(p.message)
          if (group !== undefined) failedGroups.add(group)
          continue
        }
        const entry = held[next++]!
        if (group !== undefined && failedGroups.has(group)) inFlight.release([entry])
        else if (inFlight.start(entry)) toHandle.push(entry)
      }
      if (toHandle.length > 0) await this.handleBatch(toHandle)
    }))
  }

  private async handleBatch(batch: Array<HeldMessage<T>>) {
    const { inFlight } = this.settings
    const signal = AbortSignal.any(batch.map((entry) => entry.abort.signal))
    let failedIds: Set<string>
    let thrown: unknown
    try {
      const result = await (this.handler as BatchHandler<T>)(batch.map((entry) => entry.message), { signal })
      failedIds = new Set((result?.failed ?? []).map((m) => (typeof m === 'string' ? m : m.messageId)))
    } catch (error) {
      thrown = error
      failedIds = new Set(batch.map((entry) => entry.message.messageId))
    }
    // after a FIFO group's first failure its later messages are released, not deleted, to keep their order
    const failedGroups = new Set<string>()
    for (const entry of batch) {
      const group = this.settings.source.fifo ? entry.message.messageGroupId : undefined
      if (failedIds.has(entry.message.messageId)) {
        if (group !== undefined) failedGroups.add(group)
        inFlight.fail(entry, thrown ?? new Error(`The batch handler reported message ${entry.message.messageId} as failed.`))
      } else if (group !== undefined && failedGroups.has(group)) inFlight.release([entry])
      else inFlight.succeed(entry)
    }
  }

  /** Parses a receive's messages and holds the valid ones (in order); `onSettled` runs as each of those settles. */
  private receive(messages: Message[], onSettled: () => void) {
    const parsed = messages.map((raw) => this.settings.source.parse(raw))
    const held = this.settings.inFlight.hold(parsed.flatMap((p) => (p.ok ? [p.message] : [])), now(), onSettled)
    return { parsed, held }
  }

  /** The FIFO group a message is ordered in; none on standard queues, even with a fair-queue group id. */
  private groupOf(parsed: ParsedMessage<T>): string | undefined {
    return this.settings.source.fifo ? parsed.message.messageGroupId : undefined
  }

  /**
   * Runs a task after the earlier tasks of its groups and tracks it, waiting included, until it ends; an
   * unexpected error in it is reported, never left unhandled.
   */
  private spawn(groups: readonly string[], task: () => Promise<void>) {
    const run = this.sequencer.run(groups, () => task().catch((error: unknown) => this.settings.report(error, { operation: 'handler' })))
    this.tasks.add(run)
    void run.finally(() => this.tasks.delete(run))
  }
}
