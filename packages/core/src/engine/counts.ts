/** @module engine/counts — approximate message counts: a per-queue snapshot, recounted at most once a second. */
import { queueSettings, type Queue } from '../model/queue.js'
import { shardPartition } from '../storage/keys.js'
import { getCountsSnapshot, putCountsSnapshot } from '../storage/stats-store.js'
import { countShard } from '../storage/message-store.js'
import type { EngineDeps } from './deps.js'
import type { ApproximateCounts } from './queue-attributes.js'

/** A snapshot older than this is recounted; bigger queues are recounted less often, bounding the reads. */
const freshnessMs = (total: number) => Math.max(1000, total)

/** Recounts running on this instance, with when they started: only one that is itself fresh enough is shared. */
const inProgress = new Map<string, { at: number; counts: Promise<ApproximateCounts> }>()

/**
 * Reads the queue's stats item (1 RRU). When it is stale, one recount per queue per instance runs (`count`: by
 * default a COUNT of each shard; FIFO queues pass their own) and refreshes the snapshot. Counts are SQS-style
 * approximate: up to a second old on small queues.
 */
export async function approximateCounts(
  deps: EngineDeps,
  queue: Queue,
  count: (deps: EngineDeps, queue: Queue) => Promise<ApproximateCounts> = countShards,
): Promise<ApproximateCounts> {
  const now = deps.clock.now()
  const snapshot = await getCountsSnapshot(deps.db, deps.tables.queues, queue.id)
  if (snapshot && snapshot.gen === queue.gen) {
    const { visible, notVisible, delayed } = snapshot
    if (now - snapshot.at < freshnessMs(visible + notVisible + delayed)) return { visible, notVisible, delayed }
  }
  const key = `${queue.id}#${queue.gen}`
  const running = inProgress.get(key)
  if (running && now - running.at < freshnessMs(0)) return running.counts
  const recount = { at: now, counts: recountQueue(deps, queue, count) }
  inProgress.set(key, recount)
  return recount.counts.finally(() => {
    if (inProgress.get(key) === recount) inProgress.delete(key)
  })
}

async function recountQueue(deps: EngineDeps, queue: Queue, count: typeof countShards): Promise<ApproximateCounts> {
  const now = deps.clock.now()
  const counts = await count(deps, queue)
  await putCountsSnapshot(deps.db, deps.tables.queues, queue.id, { ...counts, gen: queue.gen, at: now })
  return counts
}

/** Standard queues: a COUNT of each shard, reading every live item. */
async function countShards(deps: EngineDeps, queue: Queue): Promise<ApproximateCounts> {
  const now = deps.clock.now()
  const oldest = now - queueSettings(queue).messageRetentionPeriod * 1000
  const store = { db: deps.db, table: deps.tables.messages }
  const shards = await Promise.all([...Array(queue.shards).keys()].map((shard) => countShard(store, shardPartition(queue.id, queue.gen, shard), now, oldest)))
  return shards.reduce((sum, c) => ({
    visible: sum.visible + c.visible, notVisible: sum.notVisible + c.notVisible, delayed: sum.delayed + c.delayed,
  }), { visible: 0, notVisible: 0, delayed: 0 })
}
