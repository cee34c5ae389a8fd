/** @module test/reliability/support/ledger — what clients sent, received and deleted, and what that proves: lost, duplicated, out of order. */
import { keyOf } from '../../../bench/support/bodies.js'

interface Delivery {
  key: string
  /** when the receive request left the client and when its answer came (performance.now ms) */
  requestedAt: number
  answeredAt: number
  /** position in its receive's answer, for ordering a batch */
  position: number
}

export interface LedgerSummary {
  /** sends answered 200 (the entry in Successful) */
  acknowledged: number
  /** sends that ended in an error after retries: they may or may not exist */
  unacknowledged: number
  deliveries: number
  /** acknowledged sends never received */
  lost: number
  /**
   * acknowledged sends received but never deleted with an acknowledged delete. Once the queue has been quiet for
   * longer than the visibility timeout these are gone all the same: a delete that was applied but answered with an
   * error (or not at all) leaves the client unsure, and a message whose delete failed would have come back.
   */
  undeleted: number
  /** a message received again while its first receive's visibility timeout was certainly still running */
  duplicatesWithinVisibility: number
  /** received again after a visibility timeout could have expired (allowed: at-least-once) */
  redeliveries: number
}

/** A body that carries its key: `<key>|<padding>`. */
export const bodyFor = (key: string, bytes = 256) => `${key}|`.padEnd(bytes, '.')

export class Ledger {
  private readonly acknowledged = new Set<string>()
  private readonly unacknowledged = new Set<string>()
  private readonly byMessageId = new Map<string, Delivery[]>()
  private readonly receivedKeys = new Set<string>()
  private readonly deletedKeys = new Set<string>()
  /** last delivery, or last failed receive (it may have claimed messages that come back after their visibility timeout) */
  private lastActivity = performance.now()

  sent(key: string, acknowledged: boolean) {
    if (acknowledged) {
      this.acknowledged.add(key)
      this.unacknowledged.delete(key)
    } else if (!this.acknowledged.has(key)) {
      this.unacknowledged.add(key)
    }
  }

  received(messages: Array<{ MessageId?: string; Body?: string }>, requestedAt: number, answeredAt: number) {
    if (messages.length) this.lastActivity = answeredAt
    messages.forEach((message, position) => {
      const key = keyOf(message.Body ?? '')
      this.receivedKeys.add(key)
      const list = this.byMessageId.get(message.MessageId!) ?? []
      list.push({ key, requestedAt, answeredAt, position })
      this.byMessageId.set(message.MessageId!, list)
    })
  }

  receiveFailed() {
    this.lastActivity = performance.now()
  }

  deleted(bodies: string[]) {
    for (const body of bodies) this.deletedKeys.add(keyOf(body))
  }

  /**
   * Draining is over: every acknowledged send was received and deleted, or nothing has been delivered and no receive
   * has failed for `quietMs` (longer than the visibility timeout, so nothing claimed and not deleted is still to come back).
   */
  drained(quietMs: number) {
    if (performance.now() - this.lastActivity > quietMs) return true
    for (const key of this.acknowledged) if (!this.deletedKeys.has(key)) return false
    return true
  }

  summary(visibilityMs: number): LedgerSummary {
    let duplicates = 0
    let redeliveries = 0
    let deliveries = 0
    for (const list of this.byMessageId.values()) {
      deliveries += list.length
      for (let i = 1; i < list.length; i++) {
        // the earlier claim was made after requestedAt, the later one before answeredAt
        if (list[i]!.answeredAt < list[i - 1]!.requestedAt + visibilityMs) duplicates++
        else redeliveries++
      }
    }
    let lost = 0
    let undeleted = 0
    for (const key of this.acknowledged) {
      if (!this.receivedKeys.has(key)) lost++
      else if (!this.deletedKeys.has(key)) undeleted++
    }
    return {
      acknowledged: this.acknowledged.size, unacknowledged: this.unacknowledged.size, deliveries, lost, undeleted,
      duplicatesWithinVisibility: duplicates, redeliveries,
    }
  }

  /**
   * FIFO: keys are `<group>:<index>` sent in index order per group; the first delivery of each message must come
   * in that order. Returns the number of messages first delivered before an earlier one of their group.
   */
  orderViolations(): number {
    const firsts = [...this.byMessageId.values()].map((list) => list[0]!)
      .sort((a, b) => a.answeredAt - b.answeredAt || a.position - b.position)
    const highest = new Map<string, number>()
    let violations = 0
    for (const { key } of firsts) {
      const [group, index] = key.split(':')
      const n = Number(index)
      if (n < (highest.get(group!) ?? -1)) violations++
      highest.set(group!, Math.max(n, highest.get(group!) ?? -1))
    }
    return violations
  }
}
