/**
 * @module storage/ready-index — where a standard message sits in the messages table's `ready` index, so that a
 * receive reads only messages it can take, however many are in flight or delayed (docs/reference/dynamo-model.md §5).
 *
 * Each shard has one index partition (`rq` = the shard's partition key) with two regions of `ready`:
 * - fresh: never hidden (sent without a delay), `ready` = send time. Read oldest first; messages past retention lie
 *   below the key condition and are never read.
 * - hidden: delayed, received, or given a new visibility, `ready` = `hiddenFrom` + the time it is visible again.
 *   Only the part up to `hiddenFrom + now` is read, earliest first: a message whose visibility timeout ran out comes
 *   back before fresh ones, and those still hidden cost nothing to skip.
 * A message moves between or within regions only on writes a receive or ChangeMessageVisibility makes anyway: its
 * index entry changes with them (2 index writes of ~100 B, 1 WRU each), and no write is needed when time passes.
 * FIFO group items use the same index with partitions of their own (`storage/keys.ts` `fifoReadyShard`).
 */

/** Above every send time in ms (until the year 2286): the hidden region starts here. */
export const hiddenFrom = 10 ** 13

/** The index keys of a standard message item in shard partition `pk`. */
export function readyIndexEntry(pk: string, state: { visibleAt: number; sentAt: number }) {
  return { rq: pk, ready: state.visibleAt > state.sentAt ? hiddenReady(state.visibleAt) : state.sentAt }
}

/** `ready` of a message hidden until `visibleAt`. */
export const hiddenReady = (visibleAt: number) => hiddenFrom + visibleAt

/** When a message whose `ready` lies in the hidden region is visible again: the inverse of `hiddenReady`. */
export const visibleAtOfHidden = (ready: number) => ready - hiddenFrom

/** Whether an index entry's `ready` lies in the hidden region rather than the fresh one. */
export const isHiddenReady = (ready: number) => ready >= hiddenFrom

/**
 * Key ranges of `ready` that hold what a receive may take at `now`, in the order it should take them; `both` is the
 * two as one range (they meet at `hiddenFrom`), fresh entries first: one query for a shard without a backlog.
 */
export function receivableRanges(now: number, sentAfter: number) {
  return {
    hidden: { from: hiddenFrom, to: hiddenReady(now) },
    fresh: { from: sentAfter + 1, to: hiddenFrom - 1 },
    both: { from: sentAfter + 1, to: hiddenReady(now) },
  }
}
