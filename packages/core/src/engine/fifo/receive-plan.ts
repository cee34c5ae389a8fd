/** @module engine/fifo/receive-plan — what one receive takes from one unlocked group, and the lock write that takes it. */
import type { StoredMessage } from '../../model/message.js'
import type { GroupChange, GroupState } from '../../storage/fifo-group-item.js'
import { hasUnreceived, isFinished, isInFlight, readyAfter } from './group-state.js'
import { laterSequence } from './sequence.js'

const keyOf = (m: StoredMessage) => ({ pk: m.pk, sk: m.sk })

/**
 * Fed a group's messages in sequence order, takes them from the head: finished ones (items not yet removed) are
 * skipped, expired ones are finished, and it stops at `want`, at a message still in flight or delayed, or at a
 * message past maxReceiveCount (which must go to the dead-letter queue before anything behind it is delivered).
 */
export class ReceivePlan {
  readonly selected: StoredMessage[] = []
  /** Items of messages the group item already records as finished. */
  readonly leftovers: Array<{ pk: string; sk: string }> = []
  /** Items of messages this plan finishes because they expired: removable once the plan's write succeeded. */
  readonly expired: Array<{ pk: string; sk: string }> = []
  /** The head message, when it has reached maxReceiveCount. */
  poison?: StoredMessage
  private readonly received: GroupState['received']
  private receivedThrough: string | undefined
  private readonly seen = new Set<string>()
  private delayedUntil?: number
  private stopped = false
  private dropped = 0

  constructor(
    readonly group: GroupState,
    private readonly options: { now: number; want: number; maxReceiveCount?: number },
  ) {
    this.received = { ...group.received }
    this.receivedThrough = group.receivedThrough
  }

  /** Takes the next messages of the group; returns whether it could use more. */
  add(messages: StoredMessage[]): boolean {
    const { now, want, maxReceiveCount } = this.options
    for (const message of messages) {
      if (this.stopped) break
      const seq = message.sequenceNumber!
      this.seen.add(seq)
      if (isFinished(this.group, seq)) {
        this.leftovers.push(keyOf(message))
      } else if (message.expiresAt <= now) {
        // retention ended: SQS drops it, and the group moves on
        this.expired.push(keyOf(message))
        this.finish(seq)
      } else if (isInFlight(this.group, seq, now)) {
        this.stopped = true
      } else if (this.selected.length >= want || message.visibleAt > now) {
        if (message.visibleAt > now && this.selected.length === 0) this.delayedUntil = message.visibleAt
        this.stopped = true
      } else if (maxReceiveCount !== undefined && (this.received[seq]?.receiveCount ?? 0) >= maxReceiveCount) {
        if (this.selected.length === 0) this.poison = message
        this.stopped = true
      } else {
        this.selected.push(message)
      }
    }
    return !this.stopped
  }

  /**
   * The whole partition has been read: messages the group item lists but whose items are gone (removed by TTL
   * after their retention) are finished too, so they cannot block the group.
   */
  end() {
    for (const seq of Object.keys(this.received)) if (!this.seen.has(seq)) this.finish(seq)
    if (hasUnreceived({ lastSequence: this.group.lastSequence, receivedThrough: this.receivedThrough })) this.receivedThrough = this.group.lastSequence
  }

  private finish(seq: string) {
    delete this.received[seq]
    this.receivedThrough = laterSequence(this.receivedThrough, seq)
    this.dropped++
  }

  /**
   * The receive's write: every selected message's receive count goes up, its token becomes `token` and it is
   * invisible until `until`, which is also the group's place in the ready index (the selection starts at the
   * head), so a visibility that ends surfaces by itself. With nothing to take, a write only when the index entry
   * is wrong (expired messages dropped, head delayed or in flight, group empty); else null.
   */
  change(token: string, until: number): GroupChange | null {
    const { now } = this.options
    if (this.selected.length) {
      for (const message of this.selected) {
        const seq = message.sequenceNumber!
        const previous = this.received[seq]
        this.received[seq] = { receiveCount: (previous?.receiveCount ?? 0) + 1, firstReceivedAt: previous?.firstReceivedAt ?? now, token, visibleAt: until }
        this.receivedThrough = laterSequence(this.receivedThrough, seq)
      }
      return { received: this.received, receivedThrough: this.receivedThrough, readyAt: until, countDelta: -this.dropped }
    }
    const progress = { received: this.received, lastSequence: this.group.lastSequence, receivedThrough: this.receivedThrough }
    const readyAt = readyAfter(progress, now, this.delayedUntil)
    if (this.dropped === 0 && (readyAt === null ? this.group.readyAt === undefined : readyAt === this.group.readyAt || readyAt <= now)) return null
    return { received: this.received, receivedThrough: this.receivedThrough, readyAt, countDelta: -this.dropped }
  }

  /** Receive count and first-receive time of a selected message after the lock write. */
  history(seq: string) {
    return this.received[seq]!
  }
}
