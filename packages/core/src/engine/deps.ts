/** @module engine/deps — what every engine function is given: storage, clock and configuration. */
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { Db } from '../storage/dynamo.js'
import type { TableNames } from '../storage/tables.js'

export type EngineConfig = Pick<Config,
  'region' | 'purgeCooldownMs' | 'deletedQueueCooldownMs' | 'receiptKey' | 'queueCacheMs' | 'shards'>

export interface EngineDeps {
  db: Db
  tables: TableNames
  clock: Clock
  config: EngineConfig
}
