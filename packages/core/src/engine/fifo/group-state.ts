/** @module engine/fifo/group-state — reading a group's state, and the acknowledge transitions (delete, visibility). */
import type { GroupChange, GroupState } from '../../storage/fifo-group-item.js'

/** Deleted, expired or dead-lettered: at or below `bEnd` (so received once) and no longer listed as received. */
export const isFinished = (group: Pick<GroupState, 'bEnd' | 'rx'>, seq: string) =>
  group.bEnd !== undefined && seq <= group.bEnd && !(seq in group.rx)

/** Messages sent after the last one any receive reached. */
export const hasUnreceived = (group: Pick<GroupState, 'tail' | 'bEnd'>) =>
  group.tail !== undefined && (group.bEnd === undefined || group.tail > group.bEnd)

/** A batch is in flight: the group delivers nothing else until every message of it is finished or visible again. */
export const isLocked = (group: GroupState, now: number) => group.lock !== undefined && group.until > now

export type DeleteOutcome = 'deleted' | 'already-deleted' | 'expired'
export type VisibilityOutcome = 'changed' | 'unavailable'

/**
 * Deletes and visibility changes by receipt handle, applied to one read of a group item and written back as one
 * change. Each checks the handle's claim token against the group's lock: a handle from an earlier receive of the
 * group is expired, whatever happened since.
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
    if (this.seen!.lock !== token || !(seq in this.bat) || this.bat[seq]! <= now) return 'expired'
    delete this.rx[seq]
    delete this.bat[seq]
    this.finished++
    this.touched = true
    return 'deleted'
  }

  /**
   * Per message, as SQS applies it: the group stays locked until its last in-flight message is visible again.
   * A message whose visibility already ended can be changed while no other receive has taken the group.
   */
  changeVisibility(seq: string, token: string, visibleAt: number): VisibilityOutcome {
    if (this.gone(seq) || this.seen!.lock !== token || !(seq in this.bat)) return 'unavailable'
    this.bat[seq] = visibleAt
    this.touched = true
    return 'changed'
  }

  /**
   * The write, or null when nothing changed. The lock lasts until its latest message; with none left it is
   * dropped and the group is receivable now — or leaves the index when it has no messages at all.
   */
  change(now: number): GroupChange | null {
    if (!this.touched || !this.seen) return null
    const untils = Object.values(this.bat)
    if (untils.length === 0) {
      const more = Object.keys(this.rx).length > 0 || hasUnreceived(this.seen)
      return { rx: this.rx, lock: null, ready: more ? now : null, countDelta: -this.finished }
    }
    const until = Math.max(...untils)
    return { rx: this.rx, lock: { token: this.seen.lock!, until, bat: this.bat }, ready: until, countDelta: -this.finished }
  }
}
