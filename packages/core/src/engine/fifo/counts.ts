/** @module engine/fifo/counts — a FIFO queue's approximate counts: a snapshot, recounted from its group items at most once a second. */
import type { Queue } from '../../model/queue.js'
import { countDelayed, getGroups, listIndexedGroups } from '../../storage/fifo-store.js'
import { fifoAfterMessage, fifoMessageSortKey, fifoReadyShard } from '../../storage/keys.js'
import { getCountsSnapshot, putCountsSnapshot } from '../../storage/stats-store.js'
import type { EngineDeps } from '../deps.js'
import type { ApproximateCounts } from '../queue-attributes.js'
import { fifoStore } from './store.js'

/** A snapshot older than this is recounted; bigger queues are recounted less often, bounding the reads. */
const freshnessMs = (total: number) => Math.max(1000, total)

/** Recounts running on this instance, with when they started: only one that is itself fresh enough is shared. */
const inProgress = new Map<string, { at: number; counts: Promise<ApproximateCounts> }>()

/** Reads the queue's snapshot item (1 RRU); when it is stale, one recount per queue per instance refreshes it. */
export async function fifoCounts(deps: EngineDeps, queue: Queue): Promise<ApproximateCounts> {
  const now = deps.clock.now()
  const snapshot = await getCountsSnapshot(deps.db, deps.tables.queues, queue.id)
  if (snapshot && snapshot.gen === queue.gen) {
    const { visible, notVisible, delayed } = snapshot
    if (now - snapshot.at < freshnessMs(visible + notVisible + delayed)) return { visible, notVisible, delayed }
  }
  const key = `${queue.id}#${queue.gen}`
  const running = inProgress.get(key)
  if (running && now - running.at < freshnessMs(0)) return running.counts
  const recount = { at: now, counts: recountQueue(deps, queue) }
  inProgress.set(key, recount)
  return recount.counts.finally(() => {
    if (inProgress.get(key) === recount) inProgress.delete(key)
  })
}

async function recountQueue(deps: EngineDeps, queue: Queue): Promise<ApproximateCounts> {
  const now = deps.clock.now()
  const counts = await countFifo(deps, queue)
  await putCountsSnapshot(deps.db, deps.tables.queues, queue.id, { ...counts, gen: queue.gen, at: now })
  return counts
}

/**
 * Every group with messages is in the `ready` index, and its item counts its unfinished messages and lists the
 * in-flight ones: so a recount reads the index and one small item per group, not the messages. Only groups whose
 * last message is still delayed (queue DelaySeconds) have their unreceived messages read. Messages behind an
 * in-flight batch count as visible (they are available, only not yet deliverable), as SQS counts them.
 */
async function countFifo(deps: EngineDeps, queue: Queue): Promise<ApproximateCounts> {
  const store = fifoStore(deps)
  const now = deps.clock.now()
  const shards = await Promise.all([...Array(queue.shards).keys()].map((shard) =>
    listIndexedGroups(store, fifoReadyShard(queue.id, queue.gen, shard))))
  const groups = await getGroups(store, shards.flat())
  const counts = { visible: 0, notVisible: 0, delayed: 0 }
  await Promise.all(groups.map(async (group) => {
    const inFlight = Object.values(group.bat).filter((until) => until > now).length
    const after = group.bEnd === undefined ? undefined : fifoAfterMessage(fifoMessageSortKey(group.bEnd))
    const delayed = group.tv > now ? await countDelayed(store, group.pk, after, now) : 0
    counts.notVisible += inFlight
    counts.delayed += delayed
    counts.visible += Math.max(0, group.n - inFlight - delayed)
  }))
  return counts
}
