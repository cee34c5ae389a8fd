/** @module engine/fifo/group-state — reading a group's state, and the acknowledge transitions (delete, visibility). */
import type { GroupChange, GroupState } from '../../storage/fifo-group-item.js'

type Progress = Pick<GroupState, 'received' | 'receivedThrough' | 'lastSequence'>

/** Deleted, expired or dead-lettered: received once (at or below `receivedThrough`) and no longer listed as received. */
export const isFinished = (group: Pick<GroupState, 'receivedThrough' | 'received'>, seq: string) =>
  group.receivedThrough !== undefined && seq <= group.receivedThrough && !(seq in group.received)

/** Messages sent after the last one any receive reached. */
export const hasUnreceived = (group: Pick<GroupState, 'lastSequence' | 'receivedThrough'>) =>
  group.lastSequence !== undefined && (group.receivedThrough === undefined || group.lastSequence > group.receivedThrough)

/** A received message whose visibility has not ended: nothing behind it in its group is delivered. */
export const isInFlight = (group: Pick<GroupState, 'received'>, seq: string, now: number) =>
  (group.received[seq]?.visibleAt ?? 0) > now

/**
 * When the group's head (its first unfinished message) is visible again, while it is in flight; undefined when
 * the head is visible, unreceived or absent. Received messages are the head of the group: the lowest received.
 */
export function headInFlightUntil(group: Pick<GroupState, 'received'>, now: number): number | undefined {
  let head: string | undefined
  for (const seq of Object.keys(group.received)) if (head === undefined || seq < head) head = seq
  return head !== undefined && isInFlight(group, head, now) ? group.received[head]!.visibleAt : undefined
}

/**
 * The group's place in the ready index after a change: when its head is visible again while in flight; now when
 * it has messages to deliver; null (leave the index) when it has none.
 */
export function readyAfter(group: Progress, now: number, visibleFrom = now): number | null {
  const more = Object.keys(group.received).length > 0 || hasUnreceived(group)
  return more ? (headInFlightUntil(group, now) ?? visibleFrom) : null
}

export type DeleteOutcome = 'deleted' | 'already-deleted' | 'expired'
export type VisibilityOutcome = 'changed' | 'unavailable'

/**
 * Deletes and visibility changes by receipt handle, applied to one read of a group item and written back as one
 * change. Each checks the handle's claim token against the message's latest receive: a handle from an earlier
 * receive of the message is expired, whatever happened since.
 */
export class AcknowledgeDraft {
  private readonly received: GroupState['received']
  private finished = 0
  private touched = false

  constructor(readonly seen: GroupState | null) {
    this.received = { ...seen?.received }
  }

  private gone(seq: string) {
    return !this.seen || isFinished({ receivedThrough: this.seen.receivedThrough, received: this.received }, seq)
  }

  /**
   * A handle whose visibility ended is expired. A message already deleted is a success while the handle's own
   * visibility (`handleUntil`, signed into it at receive) lasts: that is an SDK retrying a delete that landed.
   */
  delete(seq: string, token: string, handleUntil: number, now: number): DeleteOutcome {
    if (this.gone(seq)) return handleUntil > now ? 'already-deleted' : 'expired'
    if (this.received[seq]!.token !== token || !isInFlight({ received: this.received }, seq, now)) return 'expired'
    delete this.received[seq]
    this.finished++
    this.touched = true
    return 'deleted'
  }

  /**
   * Per message, as SQS applies it: a message made visible at the head of its group is receivable again at once,
   * while the messages behind it stay in flight. A message whose visibility already ended can be changed while no
   * other receive has taken it.
   */
  changeVisibility(seq: string, token: string, visibleAt: number): VisibilityOutcome {
    if (this.gone(seq) || this.received[seq]!.token !== token) return 'unavailable'
    this.received[seq] = { ...this.received[seq]!, visibleAt }
    this.touched = true
    return 'changed'
  }

  /** The write, or null when nothing changed. An empty group leaves the index. */
  change(now: number): GroupChange | null {
    if (!this.touched || !this.seen) return null
    const readyAt = readyAfter({ received: this.received, lastSequence: this.seen.lastSequence, receivedThrough: this.seen.receivedThrough }, now)
    return { received: this.received, readyAt, countDelta: -this.finished }
  }
}
