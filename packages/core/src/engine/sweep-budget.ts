/** @module engine/sweep-budget — how much one sweeper run may do: a deadline and a number of items deleted. */
import type { Clock } from '../clock.js'

export class SweepBudget {
  deleted = 0

  constructor(private readonly clock: Clock, readonly deadline: number, readonly maxItems: number) {}

  get exhausted() {
    return this.deleted >= this.maxItems || this.clock.now() >= this.deadline
  }

  /** How many items the next page may hold (at least one, so a page is never empty by request). */
  get room() {
    return Math.max(1, this.maxItems - this.deleted)
  }

  spend(items: number) {
    this.deleted += items
  }
}
