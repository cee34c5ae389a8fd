/** @module engine/fifo/group-state — reading a group's state, and the acknowledge transitions (delete, visibility). */
import type { GroupChange, GroupState } from '../../storage/fifo-group-item.js'

/** Deleted, expired or dead-lettered: at or below `bEnd` (so received once) and no longer listed as received. */
export const isFinished = (group: Pick<GroupState, 'bEnd' | 'rx'>, seq: string) =>
  group.bEnd !== undefined && seq <= group.bEnd && !(seq in group.rx)

/** Messages sent after the last one any receive reached. */
export const hasUnreceived = (group: Pick<GroupState, 'tail' | 'bEnd'>) =>
  group.tail !== undefined && (group.bEnd === undefined || group.tail > group.bEnd)

/** A received message whose visibility has not ended: nothing behind it in its group is delivered. */
export const isInFlight = (group: Pick<GroupState, 'rx' | 'bat'>, seq: string, now: number) =>
  seq in group.rx && (group.bat[seq] ?? 0) > now

/**
 * When the group's head (its first unfinished message) is visible again, while it is in flight; undefined when
 * the head is visible, unreceived or absent. Received messages are the head of the group: the lowest in `rx`.
 */
export function headInFlightUntil(group: Pick<GroupState, 'rx' | 'bat'>, now: number): number | undefined {
  let head: string | undefined
  for (const seq of Object.keys(group.rx)) if (head === undefined || seq < head) head = seq
  return head !== undefined && isInFlight(group, head, now) ? group.bat[head] : undefined
}

/**
 * The group's place in the ready index after a change: when its head is visible again while in flight; now when
 * it has messages to deliver; null (leave the index) when it has none.
 */
export function readyAfter(group: Pick<GroupState, 'rx' | 'bat' | 'tail' | 'bEnd'>, now: number, visibleFrom = now): number | null {
  const more = Object.keys(group.rx).length > 0 || hasUnreceived(group)
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
  private readonly rx: GroupState['rx']
  private readonly bat: GroupState['bat']
  private finished = 0
  private touched = false

  constructor(readonly seen: GroupState | null) {
    this.rx = { ...seen?.rx }
    this.bat = { ...seen?.bat }
  }

  private gone(seq: string) {
    return !this.seen || isFinished({ bEnd: this.seen.bEnd, rx: this.rx }, seq)
  }

  /**
   * A handle whose visibility ended is expired. A message already deleted is a success while the handle's own
   * visibility (`handleUntil`, signed into it at receive) lasts: that is an SDK retrying a delete that landed.
   */
  delete(seq: string, token: string, handleUntil: number, now: number): DeleteOutcome {
    if (this.gone(seq)) return handleUntil > now ? 'already-deleted' : 'expired'
    if (this.rx[seq]!.t !== token || !isInFlight({ rx: this.rx, bat: this.bat }, seq, now)) return 'expired'
    delete this.rx[seq]
    delete this.bat[seq]
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
    if (this.gone(seq) || this.rx[seq]!.t !== token) return 'unavailable'
    this.bat[seq] = visibleAt
    this.touched = true
    return 'changed'
  }

  /** The write, or null when nothing changed. An empty group leaves the index. */
  change(now: number): GroupChange | null {
    if (!this.touched || !this.seen) return null
    const ready = readyAfter({ rx: this.rx, bat: this.bat, tail: this.seen.tail, bEnd: this.seen.bEnd }, now)
    return { rx: this.rx, bat: this.bat, ready, countDelta: -this.finished }
  }
}
