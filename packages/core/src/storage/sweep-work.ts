/**
 * @module storage/sweep-work — the item that tells the sweeper a message generation is dead.
 *
 * Sweep work item (queues table): a `SweepWork` under its key, one per dead generation.
 *
 * | attribute | type | meaning | written by |
 * |---|---|---|---|
 * | pk | S | `sweep` (keys.ts `sweepWorkKey`): the sweeper lists the partition's `sweep#` keys | `bumpGeneration`, `deleteQueueItem` |
 * | sk | S | `sweep#<queueId>#<gen>` | the same |
 * | queueId | S | the queue's id | the same |
 * | gen | N | the dead generation | the same |
 * | shards | N | the queue's shards: the sweeper clears partitions `<queueId>#<gen>#0…shards-1` | the same |
 * | fifo | BOOL | a FIFO generation: its group partitions cannot be listed, so a table scan finds them | the same |
 * | reason | S | `purge` or `delete` | the same |
 * | at | N | when the generation ended (ms); swept clean only after `sweepGraceMs` (engine/sweeper.ts) | the same |
 *
 * Written by `bumpGeneration` (PurgeQueue) and `deleteQueueItem` (DeleteQueue) in storage/queue-store.ts, one Put
 * in each transaction (so 2 × 1 WRU there); removed by `deleteSweepWork` (storage/sweep-store.ts) once clean.
 */
import { sweepWorkKey } from './keys.js'

/** A purged generation, or the last generation of a deleted queue: every item under it is garbage. */
export interface SweepWork {
  queueId: string
  gen: number
  shards: number
  fifo: boolean
  reason: 'purge' | 'delete'
  /** When the generation ended (ms, the ending instance's clock). */
  at: number
}

/**
 * Written in the same transaction as the purge or DeleteQueue that ends the generation, so no generation is ever
 * forgotten (tombstones are overwritten when a name is deleted again). No TTL: it lives until the sweep is done.
 */
export const sweepWorkItem = (work: SweepWork) => ({ ...sweepWorkKey(work.queueId, work.gen), ...work })

export function sweepWorkOf(item: Record<string, unknown>): SweepWork {
  const { queueId, gen, shards, fifo, reason, at } = item as unknown as SweepWork
  return { queueId, gen, shards, fifo, reason, at }
}
