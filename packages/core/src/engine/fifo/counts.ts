/** @module engine/fifo/counts — recounting a FIFO queue's approximate message counts from its group items. */
import type { Queue } from '../../model/queue.js'
import { countDelayed, getGroups, listIndexedGroups } from '../../storage/fifo-store.js'
import { fifoAfterMessage, fifoMessageSortKey, fifoReadyShard } from '../../storage/keys.js'
import type { EngineDeps } from '../deps.js'
import type { ApproximateCounts } from '../queue-attributes.js'
import { fifoStore } from './store.js'

/**
 * Every group with messages is in the `ready` index, and its item counts its unfinished messages and lists the
 * in-flight ones: so a recount reads the index and one small item per group, not the messages. Only groups whose
 * last message is still delayed (queue DelaySeconds) have their unreceived messages read. Messages behind an
 * in-flight batch count as visible (they are available, only not yet deliverable), as SQS counts them.
 */
export async function countFifo(deps: EngineDeps, queue: Queue): Promise<ApproximateCounts> {
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
