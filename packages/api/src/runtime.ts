/** @module runtime — one place that wires config → DynamoDB client → engine → app, for every entry point. */
import {
  createDb, systemClock, tableNamesOf, type Clock, type Config, type Db, type Engine, type EngineDeps, type EngineOptions, type TableNames,
} from '@dqs/core'
import { createApp } from './app.js'
import { meterDynamo } from './metrics/dynamo-meter.js'
import { MeteredEngine } from './metrics/metered-engine.js'
import { DqsMetrics } from './metrics/registry.js'

export interface Runtime {
  db: Db
  tables: TableNames
  engine: Engine
  clock: Clock
  app: ReturnType<typeof createApp>
  /** What /metrics serves: requests, DynamoDB usage, per-queue message counts (metrics/registry.ts). */
  metrics: DqsMetrics
}

export function createRuntime(
  config: Config,
  options: { clock?: Clock; tables?: TableNames; db?: Db; engine?: EngineOptions; unappliedChanges?: EngineDeps['unappliedChanges'] } = {},
): Runtime {
  const clock = options.clock ?? systemClock
  const db = options.db ?? createDb({ endpoint: config.dynamoEndpoint, region: config.region })
  const tables = options.tables ?? tableNamesOf(config)
  const metrics = new DqsMetrics()
  meterDynamo(db, metrics)
  const engine: Engine = new MeteredEngine({ db, tables, clock, config, unappliedChanges: options.unappliedChanges }, {
    watchTimings: { maxWaiting: config.maxWaitingPolls },
    maxWaitSeconds: config.maxWaitSeconds,
    ...options.engine,
  }, metrics)
  const app = createApp({
    engine,
    clock,
    region: config.region,
    auth: { defaultAccountId: config.defaultAccountId, region: config.region, credentials: config.credentials, requireAuth: config.requireAuth },
    metrics,
    maxAnswerBytes: config.maxAnswerBytes || undefined,
  })
  return { db, tables, engine, clock, app, metrics }
}
