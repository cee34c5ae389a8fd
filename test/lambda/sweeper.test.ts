/** functions/sweeper.ts as the scheduled Lambda runs it: a sweep, then the message move tasks, within the function's time. */
import type { Context } from 'aws-lambda'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { accountId, uniqueQueueName } from '../support/clients.js'
import { testEngine } from '../support/engine.js'

const { engine, clock, db, tablePrefix: prefix, ensureOwnTables } = testEngine({ ownTables: 'lambda-sweeper' })
let handler: (event: unknown, context: Context) => Promise<{ moved: number; complete: boolean }>

beforeAll(async () => {
  await ensureOwnTables()
  // what sst.config.ts gives the function; read when the module loads (a cold start)
  Object.assign(process.env, { DQS_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), DQS_TABLE_PREFIX: prefix, AWS_REGION: 'us-east-1' })
  handler = (await import('../../functions/sweeper.js')).handler as typeof handler
})
afterAll(() => db.destroy())

it('sweeps, then moves the messages of a running move task, within the time the function has left', async () => {
  const dlq = await engine.createQueue({ accountId, name: uniqueQueueName('sdlq'), attributes: {}, tags: {} })
  const arn = `arn:aws:sqs:us-east-1:${accountId}:${dlq.name}`
  await engine.createQueue({ accountId, name: uniqueQueueName('ssrc'), attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 2 }) }, tags: {} })
  const destination = await engine.createQueue({ accountId, name: uniqueQueueName('sdest'), attributes: {}, tags: {} })
  await engine.sendMessages(dlq, Array.from({ length: 7 }, (_, i) => ({ body: `m${i}` })), accountId)
  await engine.startMessageMoveTask(accountId, { sourceArn: arn, destinationArn: `arn:aws:sqs:us-east-1:${accountId}:${destination.name}` })
  const report = await handler({}, { getRemainingTimeInMillis: () => 60_000 } as Context)
  expect(report).toMatchObject({ moved: 7, complete: true })
  expect(await engine.listMessageMoveTasks(accountId, arn, 1)).toMatchObject([{ status: 'COMPLETED', moved: 7 }])
  clock.advance(60_000) // the function ran on the system clock, a moment after this test's clock
  const received = await engine.receiveMessages(destination, { maxNumberOfMessages: 10, visibilityTimeout: 60, waitTimeSeconds: 0 })
  expect(received.map((m) => m.body).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'])
})
