/** @module functions/sweeper — scheduled entry: one bounded sweeper run (dead generations, expired messages), then message move tasks. */
import { randomUUID } from 'node:crypto'
import { createDb, Engine, loadLambdaConfig, runMoveTasks, sweep, systemClock, tableNamesOf, upgradeToReadyIndex } from '@dqs/core'
import type { Context } from 'aws-lambda'

const config = loadLambdaConfig()
const { deps } = new Engine({ db: createDb({ endpoint: config.dynamoEndpoint, region: config.region }), tables: tableNamesOf(config), clock: systemClock, config })

/** Stop this long before Lambda's timeout, so the run saves its position instead of being cut off. */
const marginMs = 15_000
/** Items one run deletes at most (1 WRU each or more): bounds the cost of one run whatever the backlog. */
const maxItems = 100_000

/** Names this function instance for the leases on move tasks. */
const mover = randomUUID()

export async function handler(_event: unknown, context: Context) {
  const budget = () => Math.max(0, context.getRemainingTimeInMillis() - marginMs)
  // a table from before the ready index: one run lists its messages there (then a marker makes this one GetItem)
  await upgradeToReadyIndex(deps.db, deps.tables)
  const report = await sweep(deps, { budgetMs: budget() / 2, maxItems })
  // move tasks get the rest: a task that outlasts it goes on in the next run
  const moved = await runMoveTasks(deps, { owner: mover, budgetMs: budget() })
  console.log(JSON.stringify({ sweep: report, moved }))
  return { ...report, moved }
}
