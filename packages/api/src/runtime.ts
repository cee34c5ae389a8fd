/** @module runtime — one place that wires config → DynamoDB client → engine → app, for every entry point. */
import {
  createDb, Engine, systemClock, tableNamesOf, type Clock, type Config, type Db, type EngineDeps, type EngineOptions, type TableNames,
} from '@dqs/core'
import { createApp } from './app.js'

export interface Runtime {
  db: Db
  tables: TableNames
  engine: Engine
  clock: Clock
  app: ReturnType<typeof createApp>
}

export function createRuntime(
  config: Config,
  options: { clock?: Clock; tables?: TableNames; db?: Db; engine?: EngineOptions; unappliedChanges?: EngineDeps['unappliedChanges'] } = {},
): Runtime {
  const clock = options.clock ?? systemClock
  const db = options.db ?? createDb({ endpoint: config.dynamoEndpoint, region: config.region })
  const tables = options.tables ?? tableNamesOf(config)
  const engine = new Engine({ db, tables, clock, config, unappliedChanges: options.unappliedChanges }, {
    watchTimings: { maxWaiting: config.maxWaitingPolls },
    ...options.engine,
  })
  const app = createApp({
    engine,
    clock,
    region: config.region,
    auth: { defaultAccountId: config.defaultAccountId, region: config.region, credentials: config.credentials, requireAuth: config.requireAuth },
  })
  return { db, tables, engine, clock, app }
}
