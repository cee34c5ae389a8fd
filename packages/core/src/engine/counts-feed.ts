/** @module engine/counts-feed — applies message-table changes to the queues' running counts (stream consumers call it). */
import { addToCounts, type AppliedPosition } from '../storage/counts-store.js'
import type { Db } from '../storage/dynamo.js'
import type { TableNames } from '../storage/tables.js'
import { countChanges, spentEntries } from './count-changes.js'
import type { StreamChange } from '../storage/stream-records.js'

/**
 * Entries stay this long after their bucket ends before they are removed. A reader whose clock runs behind the
 * feed's (another instance; a test clock) still finds them while they can matter to it.
 */
const spentAfterMs = 60_000
/** Counts items remembered at most: a feed touching more forgets the oldest (their spent entries wait longer). */
const lastSeenLimit = 10_000

export interface CountsFeedDeps {
  db: Db
  tables: TableNames
}

/**
 * Applies stream changes to the counts items: one per stream consumer (the local follower, a Lambda instance),
 * remembering the counts items it wrote lately, so which of their entries are spent is known without reading them.
 * @example
 * const feed = new CountsFeed({ db, tables })
 * await feed.apply(changes, Date.now())
 */
export class CountsFeed {
  private readonly lastSeen = new Map<string, Record<string, unknown>>()

  constructor(private readonly deps: CountsFeedDeps) {}

  /**
   * One update per queue generation the changes touch, all in parallel. A failure rejects after the others
   * settle; the caller retries the whole batch (stream consumers are at-least-once: a retry after a partial
   * failure counts the queues that had succeeded twice, until their messages change again). `applied`: the
   * batch's last record, when one follower applies the stream in order (local servers), so that readers can add
   * what came after it.
   */
  async apply(changes: Iterable<StreamChange>, now: number, applied?: AppliedPosition) {
    const results = await Promise.allSettled(countChanges(changes).map(async ({ queueId, gen, entries }) => {
      const key = `${queueId}#${gen}`
      const seen = this.lastSeen.get(key)
      const spent = seen ? spentEntries(seen, now - spentAfterMs) : []
      const item = await addToCounts(this.deps.db, this.deps.tables.queues, { queueId, gen, entries, spent, now, applied })
      this.lastSeen.delete(key)
      this.lastSeen.set(key, item)
      if (this.lastSeen.size > lastSeenLimit) this.lastSeen.delete(this.lastSeen.keys().next().value!)
    }))
    const failure = results.find((r) => r.status === 'rejected')
    if (failure) throw failure.reason
  }
}
