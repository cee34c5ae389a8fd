/** Helpers for the outbox tests: an outbox and an application table on the run's DynamoDB Local, next to DQS's tables. */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { tableNames } from '@dqs/core'
import { dqsOutbox } from '@dqs/outbox'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, inject } from 'vitest'
import { jsonClient } from '../support/clients.js'

/** A plain client, as an application has one: no DQS options. */
export function appClient() {
  return new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'app', secretAccessKey: 'app' } })
}

/** The application's document client: default marshalling, so nothing of DQS's client set-up is assumed. */
export const appDocumentClient = (client = appClient()) => DynamoDBDocumentClient.from(client)

/** An outbox on the tables the test server serves. */
export function testOutbox(client: DynamoDBClient | DynamoDBDocumentClient = appClient()) {
  const tables = tableNames(inject('tablePrefix'))
  return dqsOutbox({ client, tables: { queues: tables.queues, messages: tables.messages } })
}

/** The application's own table (orders: `id` key), created fresh for a test file. */
export async function createOrdersTable(client: DynamoDBClient) {
  const name = `orders-${randomBytes(4).toString('hex')}`
  await client.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }))
  return name
}

/**
 * What an outbox test file works with: the application's clients, an outbox on them, an SQS client, and its own
 * orders table (`orders`, made before the file's tests; the client is closed after them).
 */
export function outboxFixture() {
  const ddb = appClient()
  const fixture = { ddb, doc: appDocumentClient(ddb), outbox: testOutbox(ddb), sqs: jsonClient(), orders: '' }
  beforeAll(async () => { fixture.orders = await createOrdersTable(ddb) })
  afterAll(() => ddb.destroy())
  return fixture
}

