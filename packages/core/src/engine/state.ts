/**
 * @module engine/state — what one engine instance remembers between calls: caches and hints that only speed things
 * up on this instance (correctness never depends on them), dropped with the engine.
 */
import type { Queue } from '../model/queue.js'
import type { PendingGroupWrite } from './fifo/group-writes.js'
import { FreshPages, type QueueReads } from './standard/shard-reads.js'

export class EngineState {
  /** Queue items by `<account>/<name>`, each for at most `queueCacheMs` (engine/queue-cache.ts). */
  readonly queues = new Map<string, { queue: Queue | null; at: number }>()
  /** Message items this instance's receives are trying or have just claimed, until when (standard/claim-hint.ts). */
  readonly claimHints = new Map<string, number>()
  /** Receives running here, the last time two overlapped and the last claim lost, by queue id (standard/contention.ts). */
  readonly contention = new Map<string, { running: number; lostAt: number; overlapAt: number }>()
  /** What receives here last saw of each shard's index regions, by queue id, least recent first (standard/shard-reads.ts). */
  readonly shardReads = new Map<string, QueueReads>()
  /** The fresh index pages receives here read lately, by queue, bounded in entries (standard/shard-reads.ts). */
  readonly freshPages = new FreshPages()
  /** The last known in-flight count, by queue id (engine/in-flight.ts). */
  readonly inFlight = new Map<string, { notVisible: number; at: number }>()
  /** Acknowledgements of one FIFO group waiting for the same write, by group partition (fifo/group-writes.ts). */
  readonly groupWrites = new Map<string, PendingGroupWrite[]>()
}
