/** @module storage/sweep-work — the item that tells the sweeper a message generation is dead. */
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
