/** @module slots — a consumer's capacity: slots held by messages (or batches), and slots set aside for receives in flight. */

/**
 * Counts capacity so that receives never ask for more than the consumer can start: a receive reserves slots
 * before it goes out, and gives back what it did not use when it returns.
 */
export class Slots {
  private used = 0
  private reserved = 0
  private closed = false
  private readonly waiters: Array<() => void> = []

  constructor(private readonly capacity: number) {}

  /** Waits for a free slot, then sets aside up to `wanted` slots; resolves 0 once closed. */
  async reserve(wanted: number): Promise<number> {
    while (!this.closed) {
      const free = this.capacity - this.used - this.reserved
      if (free > 0) {
        const granted = Math.min(wanted, free)
        this.reserved += granted
        return granted
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve))
    }
    return 0
  }

  /** A receive ended: its reservation is given back (the messages it brought take slots with `take`). */
  unreserve(slots: number) {
    this.reserved -= slots
    this.wake()
  }

  /** Messages (or a batch) of a receive start holding slots. */
  take(count: number) {
    this.used += count
  }

  free() {
    this.used--
    this.wake()
  }

  /** No more reservations: waiting ones resolve 0. */
  close() {
    this.closed = true
    this.wake()
  }

  private wake() {
    for (const wake of this.waiters.splice(0)) wake()
  }
}
