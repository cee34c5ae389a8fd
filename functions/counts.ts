/** @module functions/counts — the messages table's stream (a Lambda event-source mapping) → the queues' running counts. */
import { CountsFeed, createDb, loadLambdaConfig, readableChanges, systemClock, tableNamesOf } from '@dqs/core'
import type { DynamoDBStreamEvent } from 'aws-lambda'

const config = loadLambdaConfig()
const feed = new CountsFeed({ db: createDb({ endpoint: config.dynamoEndpoint, region: config.region }), tables: tableNamesOf(config) })

/** A failed update rejects the batch, and Lambda delivers it again (at-least-once; see engine/counts-feed.ts). */
export async function handler(event: DynamoDBStreamEvent) {
  const changes = readableChanges(event.Records, (error) => console.error('DQS counts: unreadable stream record:', error))
  await feed.apply(changes, systemClock.now())
}
