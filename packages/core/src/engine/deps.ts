/** @module engine/deps — what every engine function is given: storage, clock and configuration. */
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { Queue } from '../model/queue.js'
import type { Db } from '../storage/dynamo.js'
import type { TableNames } from '../storage/tables.js'
import type { UnappliedChanges } from '../storage/unapplied-changes.js'
import type { EngineState } from './state.js'

export type EngineConfig = Pick<Config,
  'region' | 'purgeCooldownMs' | 'deletedQueueCooldownMs' | 'receiptKey' | 'queueCacheMs' | 'shards'>

export interface EngineDeps {
  db: Db
  tables: TableNames
  clock: Clock
  config: EngineConfig
  /** This engine instance's caches and hints (engine/state.ts): the Engine creates its own. */
  state: EngineState
  /** Local servers: the stream records the counts follower has not applied yet (GetQueueAttributes reads them). */
  unappliedChanges?: UnappliedChanges
  /** Told of what only the engine sees (a message moved to a dead-letter queue by a receive); optional. */
  metrics?: EngineMetrics
}

/** A sink for engine events that metrics count (the API package feeds them to Prometheus counters). */
export interface EngineMetrics {
  /** `count` messages of `source` reached maxReceiveCount and were moved to `target`. */
  deadLettered(source: Queue, target: Queue, count: number): void
}
