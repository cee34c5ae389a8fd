/**
 * @module engine/standard/hidden-reads — what this instance's receives last saw of each shard's `ready` index
 * (storage/ready-index.ts): whether its fresh region had a backlog (a full page), and when its hidden region
 * (messages whose visibility timeout or delay ran out) was last read. While a shard has a backlog, its hidden region
 * is read at most once a second: a message whose visibility ran out is then taken at most a second late, still
 * before the backlog behind it, and each receive is spared one query per shard. A hint only: a receive that finds
 * the fresh region short reads the hidden one whatever this says.
 */
import type { EngineDeps } from '../deps.js'

/** How often the hidden region of a shard with a backlog of fresh messages is read. */
const recheckMs = 1_000
/** Queues remembered at most: past this, the least recently read are forgotten (and simply read again). */
const queuesLimit = 10_000

export interface ShardReads {
  /** When the hidden region was last read. */
  hiddenAt: number
  /** The last read of the fresh region filled its page. */
  backlog: boolean
}

export interface HiddenReads {
  /** The hidden region of `shard` is to be read with its fresh region. */
  due(shard: number): boolean
  /** What a receive read of `shard` now: its hidden region or not, and whether the fresh one filled its page. */
  read(shard: number, seen: { hidden: boolean; backlog: boolean }): void
}

/** The reads of one queue's shards on this instance. */
export function hiddenReads(deps: EngineDeps, queueId: string): HiddenReads {
  const byQueue = deps.state.shardReads
  return {
    due: (shard) => {
      const last = byQueue.get(queueId)?.[shard]
      return !last?.backlog || deps.clock.now() - last.hiddenAt >= recheckMs
    },
    read: (shard, seen) => {
      const shards = byQueue.get(queueId) ?? []
      shards[shard] = { hiddenAt: seen.hidden ? deps.clock.now() : (shards[shard]?.hiddenAt ?? Number.NEGATIVE_INFINITY), backlog: seen.backlog }
      byQueue.delete(queueId)
      byQueue.set(queueId, shards)
      if (byQueue.size > queuesLimit) byQueue.delete(byQueue.keys().next().value!)
    },
  }
}

/** A message of the queue was made visible here (ChangeMessageVisibility to 0): the next receive reads every hidden region. */
export function hiddenChanged(deps: EngineDeps, queueId: string) {
  deps.state.shardReads.delete(queueId)
}
