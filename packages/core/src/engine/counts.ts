/** @module engine/counts — ApproximateNumberOfMessages(NotVisible|Delayed): one read of the queue's counts item. */
import { queueSettings, type Queue } from '../model/queue.js'
import { appliedPosition, getCounts } from '../storage/counts-store.js'
import { generationPrefix } from '../storage/keys.js'
import { getQueueItem } from '../storage/queue-store.js'
import { countChanges, countsFromItem } from './count-changes.js'
import type { EngineDeps } from './deps.js'
import type { ApproximateCounts } from './queue-attributes.js'

/**
 * The counts item the messages table's stream keeps (engine/counts-feed.ts), read once: the cost does not grow with
 * the queue. Deployed, counts trail the activity by the stream's delay (about a second), as SQS's are approximate.
 * `readYourWrites` on a local server (deps.unappliedChanges) adds the stream records the follower has not applied
 * yet, so the counts show every write answered before the call, made by this process or another.
 */
export async function approximateCounts(deps: EngineDeps, queue: Queue, options: { readYourWrites?: boolean } = {}): Promise<ApproximateCounts> {
  const unapplied = options.readYourWrites ? deps.unappliedChanges : undefined
  const retentionMs = queueSettings(queue).messageRetentionPeriod * 1000
  if (!unapplied) return countsFromItem(await getCounts(deps.db, deps.tables.queues, queue.id, queue.gen), deps.clock.now(), retentionMs)
  // the generation as it stands, not as cached (a purge through another server shows at once too), read beside
  // the checkpoints: both come before the counts item, and neither waits for the other
  const [stored, checkpoints] = await Promise.all([
    getQueueItem({ db: deps.db, table: deps.tables.queues }, queue.accountId, queue.name, true),
    unapplied.checkpoints(),
  ])
  const gen = stored?.id === queue.id ? stored.gen : queue.gen
  const item = await getCounts(deps.db, deps.tables.queues, queue.id, gen, true)
  const changes = await unapplied.since(checkpoints, appliedPosition(item), generationPrefix(queue.id, gen))
  return countsFromItem(changes ? withChanges(item, changes, queue.id, gen) : item, deps.clock.now(), retentionMs)
}

/** The counts item as it will be once the follower has applied `changes` (those of other queues count for nothing). */
function withChanges(item: Record<string, unknown> | null, changes: Parameters<typeof countChanges>[0], queueId: string, gen: number) {
  const delta = countChanges(changes).find((d) => d.queueId === queueId && d.gen === gen)
  if (!delta) return item
  const merged: Record<string, unknown> = { ...item }
  for (const [entry, value] of delta.entries) merged[entry] = (typeof merged[entry] === 'number' ? (merged[entry] as number) : 0) + value
  return merged
}
