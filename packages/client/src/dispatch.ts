/** @module dispatch — hands received messages to the handler: a task per message or per receive, in FIFO group order. */
import type { Message } from '@aws-sdk/client-sqs'
import type { BatchHandler, ConsumeOptions, ErrorContext, MessageHandler } from './consumer-options.js'
import { GroupSequencer } from './group-sequencer.js'
import { callHook, type HeldMessage, type InFlightMessages } from './in-flight.js'
import type { MessageSource, ParsedMessage } from './queue.js'
import type { Slots } from './slots.js'
import { now } from './time.js'

/** What the dispatcher works with. */
export interface DispatchSettings<T> {
  source: MessageSource<T>
  inFlight: InFlightMessages<T>
  slots: Slots
  options: ConsumeOptions<T>
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

  constructor(
    private readonly settings: DispatchSettings<T>,
    private readonly handler: MessageHandler<T> | BatchHandler<T>,
    private readonly batch: boolean,
  ) {}

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
    const { source, inFlight, slots } = this.settings
    const receivedAt = now()
    const failedGroups = new Set<string>()
    for (const raw of messages) {
      const parsed = source.parse(raw)
      const group = this.groupOf(parsed)
      const groups = group === undefined ? [] : [group]
      if (!parsed.ok) {
        this.spawn(groups, async () => {
          inFlight.invalid(parsed.message)
          if (group !== undefined) failedGroups.add(group)
        })
        continue
      }
      slots.take()
      const held = inFlight.hold(parsed.message, receivedAt, () => slots.free())
      this.spawn(groups, async () => {
        if (group !== undefined && failedGroups.has(group)) return inFlight.release([held])
        if (!this.start(held)) return
        try {
          await (this.handler as MessageHandler<T>)(held.message, { signal: held.abort.signal })
          inFlight.succeed(held)
        } catch (error) {
          if (group !== undefined) failedGroups.add(group)
          inFlight.fail(held, error)
        }
      })
    }
  }

  /** One task for the whole receive; its slot is free once every valid message in it has settled. */
  private dispatchBatch(messages: Message[]) {
    const { source, inFlight, slots } = this.settings
    const receivedAt = now()
    const parsed = messages.map((raw) => source.parse(raw))
    const groups = [...new Set(parsed.flatMap((p) => this.groupOf(p) ?? []))]
    let unsettled = parsed.filter((p) => p.ok).length
    if (unsettled > 0) slots.take()
    const onSettled = () => --unsettled === 0 && slots.free()
    const held = parsed.map((p) => (p.ok ? inFlight.hold(p.message, receivedAt, onSettled) : undefined))
    this.spawn(groups, async () => {
      const failedGroups = new Set<string>()
      const toHandle: Array<HeldMessage<T>> = []
      for (const [i, p] of parsed.entries()) {
        const group = this.groupOf(p)
        if (!p.ok) {
          inFlight.invalid(p.message)
          if (group !== undefined) failedGroups.add(group)
        } else if (group !== undefined && failedGroups.has(group)) inFlight.release([held[i]!])
        else if (this.start(held[i]!)) toHandle.push(held[i]!)
      }
      if (toHandle.length > 0) await this.handleBatch(toHandle)
    })
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

  /** The FIFO group a message is ordered in; none on standard queues, even with a fair-queue group id. */
  private groupOf(parsed: ParsedMessage<T>): string | undefined {
    return this.settings.source.fifo ? parsed.message.messageGroupId : undefined
  }

  /** Moves a held message from waiting to running; false when it was released meanwhile (shutdown). */
  private start(entry: HeldMessage<T>): boolean {
    if (entry.state !== 'waiting') return false
    entry.state = 'running'
    callHook(this.settings.options.onMessage, this.settings.report, entry.message)
    return true
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
