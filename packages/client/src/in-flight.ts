/** @module in-flight — the ledger of messages being handled: each settles exactly once, with its hooks and counts. */
import type { ConsumerStats, ErrorContext, MessageHooks, ProcessedOutcome } from './consumer-options.js'
import type { InvalidMessage, ReceivedMessage } from './message.js'
import { now } from './time.js'

/** A received message between its receive and its outcome. */
export interface HeldMessage<T> {
  readonly message: ReceivedMessage<T>
  readonly receivedAt: number
  /** `waiting` for its turn (concurrency, FIFO group), `running` in the handler, `settled` once its outcome is decided. */
  state: 'waiting' | 'running' | 'settled'
  /** Aborted when the message is given up while the handler still runs. */
  readonly abort: AbortController
  /** Frees the capacity this message took. */
  readonly onSettled: () => void
}

/**
 * What an outcome does beyond the ledger: `consume` acts on SQS (heartbeats, deletes, backoffs, releases),
 * `handleSqsEvent` collects the partial batch response. Called once per message and outcome; must not throw.
 */
export interface Settlement {
  /** The valid messages of one receive are now held. */
  held(messages: ReadonlyArray<ReceivedMessage<unknown>>, receivedAt: number): void
  /** The handler returned. */
  succeeded(message: ReceivedMessage<unknown>): void
  /** The handler threw, or the body was invalid: the message is left for redelivery. */
  failed(message: ReceivedMessage<unknown>): void
  /** Given back unhandled. */
  released(messages: ReadonlyArray<ReceivedMessage<unknown>>): void
}

/** What the ledger works with. */
export interface InFlightSettings<T> {
  settlement: Settlement
  hooks: MessageHooks<T>
  stats: ConsumerStats
  /** Counts an error and passes it to `onError`. */
  report: (error: unknown, context: ErrorContext) => void
}

/** Calls a user hook; a hook that throws is reported, never allowed to break processing. */
export function callHook<A extends unknown[]>(hook: ((...args: A) => void) | undefined, report: (error: unknown, context: ErrorContext) => void, ...args: A) {
  try {
    hook?.(...args)
  } catch (error) {
    report(error, { operation: 'hook' })
  }
}

/**
 * The held messages. Every message settles exactly once: the first outcome wins, so a handler finishing after its
 * message was released (shutdown timeout) changes nothing.
 */
export class InFlightMessages<T> {
  private readonly held = new Set<HeldMessage<T>>()

  constructor(private readonly settings: InFlightSettings<T>) {}

  /** Starts holding the valid messages of one receive; `onSettled` runs once for each as it settles. */
  hold(messages: ReadonlyArray<ReceivedMessage<T>>, receivedAt: number, onSettled: () => void): Array<HeldMessage<T>> {
    const entries = messages.map((message): HeldMessage<T> => ({ message, receivedAt, state: 'waiting', abort: new AbortController(), onSettled }))
    for (const entry of entries) this.held.add(entry)
    this.settings.stats.inFlight += entries.length
    if (entries.length > 0) this.settings.settlement.held(messages, receivedAt)
    return entries
  }

  /** Held messages in a state, for shutdown. */
  inState(state: HeldMessage<T>['state']): Array<HeldMessage<T>> {
    return [...this.held].filter((entry) => entry.state === state)
  }

  /** Moves a message from waiting to running and calls `onMessage`; false when it was released meanwhile. */
  start(entry: HeldMessage<T>): boolean {
    if (entry.state !== 'waiting') return false
    entry.state = 'running'
    callHook(this.settings.hooks.onMessage, this.settings.report, entry.message)
    return true
  }

  /** The handler returned. */
  succeed(entry: HeldMessage<T>) {
    if (this.settle(entry, 'succeeded')) this.settings.settlement.succeeded(entry.message)
  }

  /** The handler threw: report it and leave the message for redelivery. */
  fail(entry: HeldMessage<T>, error: unknown) {
    if (!this.settle(entry, 'failed', error)) return
    this.settings.report(error, { operation: 'handler', message: entry.message })
    this.settings.settlement.failed(entry.message)
  }

  /** The body is not valid: `onInvalid`, and left for redelivery (so for the DLQ) like a failure, never held. */
  invalid(message: InvalidMessage) {
    this.settings.stats.invalid++
    callHook(this.settings.hooks.onInvalid, this.settings.report, message)
    this.settings.settlement.failed(message)
  }

  /** Gives held messages back unhandled and aborts their handlers. */
  release(entries: ReadonlyArray<HeldMessage<T>>) {
    const released = entries.filter((entry) => this.settle(entry, 'released'))
    if (released.length === 0) return
    for (const entry of released) entry.abort.abort()
    this.settings.settlement.released(released.map((entry) => entry.message))
  }

  /** Decides a message's outcome once; false when it had one already. */
  private settle(entry: HeldMessage<T>, outcome: ProcessedOutcome, error?: unknown): boolean {
    if (entry.state === 'settled') return false
    entry.state = 'settled'
    this.held.delete(entry)
    const { stats, hooks, report } = this.settings
    stats.inFlight--
    stats[outcome]++
    const event = { message: entry.message, outcome, durationMs: now() - entry.receivedAt, ...(error === undefined ? {} : { error }) }
    callHook(hooks.onProcessed, report, event)
    entry.onSettled()
    return true
  }
}
