/** @module engine/counts — ApproximateNumberOfMessages(NotVisible|Delayed): one read of the queue's counts item. */
import { queueSettings, type Queue } from '../model/queue.js'
import { getCounts } from '../storage/counts-store.js'
import { countsFromItem } from './count-changes.js'
import type { EngineDeps } from './deps.js'
import type { ApproximateCounts } from './queue-attributes.js'

/**
 * The counts item the messages table's stream keeps (engine/counts-feed.ts), read once: the cost does not grow with
 * the queue. Counts trail the activity by the stream's delay (about a second), as SQS's are approximate.
 */
export async function approximateCounts(deps: EngineDeps, queue: Queue): Promise<ApproximateCounts> {
  const item = await getCounts(deps.db, deps.tables.queues, queue.id, queue.gen)
  return countsFromItem(item, deps.clock.now(), queueSettings(queue).messageRetentionPeriod * 1000)
}
