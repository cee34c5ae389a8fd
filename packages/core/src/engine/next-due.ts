/**
 * @module engine/next-due — when the earliest message of a queue hidden now (delayed, scheduled, in flight) becomes
 * receivable, read from the `ready` index: what a waiting long poll sleeps until when this instance has not heard
 * of that time itself (it started after the send, or knows more times than it keeps).
 */
import type { Queue } from '../model/queue.js'
import { fifoReadyShard, shardPartition } from '../storage/keys.js'
import { firstReadyAfter } from '../storage/message-store.js'
import { hiddenReady, visibleAtOfHidden } from '../storage/ready-index.js'
import type { EngineDeps } from './deps.js'

/** One Limit-1 query per shard (0.5 RRU each); undefined when nothing is hidden. */
export async function nextDueAt(deps: EngineDeps, queue: Queue): Promise<number | undefined> {
  const now = deps.clock.now()
  const store = { db: deps.db, table: deps.tables.messages }
  const shards = [...Array(queue.shards).keys()]
  // a FIFO group's place in the index is the time its head is receivable; a standard message's, offset when hidden
  const found = await Promise.all(shards.map((shard) => queue.fifo
    ? firstReadyAfter(store, fifoReadyShard(queue.id, queue.gen, shard), now)
    : firstReadyAfter(store, shardPartition(queue.id, queue.gen, shard), hiddenReady(now)).then((ready) => (ready === undefined ? undefined : visibleAtOfHidden(ready)))))
  const times = found.filter((at): at is number => at !== undefined)
  return times.length ? Math.min(...times) : undefined
}
