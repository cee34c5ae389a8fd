/** @module functions/sweeper — scheduled entry: one bounded sweeper run (dead generations, expired messages). */
import { createDb, loadLambdaConfig, sweep, systemClock, tableNamesOf } from '@dqs/core'
import type { Context } from 'aws-lambda'

const config = loadLambdaConfig()
const deps = { db: createDb({ endpoint: config.dynamoEndpoint, region: config.region }), tables: tableNamesOf(config), clock: systemClock, config }

/** Stop this long before Lambda's timeout, so the run saves its position instead of being cut off. */
const marginMs = 15_000
/** Items one run deletes at most (1 WRU each or more): bounds the cost of one run whatever the backlog. */
const maxItems = 100_000

export async function handler(_event: unknown, context: Context) {
  const report = await sweep(deps, { budgetMs: Math.max(0, context.getRemainingTimeInMillis() - marginMs), maxItems })
  console.log(JSON.stringify({ sweep: report }))
  return report
}
