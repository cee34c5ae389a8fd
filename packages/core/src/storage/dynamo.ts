/** @module storage/dynamo — the DynamoDB document client, and creating the tables where they are missing. */
import {
  CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, ResourceNotFoundException,
  UpdateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { markStorageFailures } from './dynamo-errors.js'
import { addSendMiddleware, sendDataOperationsDirectly } from './direct-requests.js'
import { localCredentials } from './local-credentials.js'
import { createTableInput, streamSpecification, tableDefinitions, type TableNames } from './tables.js'

export type Db = DynamoDBDocumentClient

export function createDb(options: { endpoint?: string; region: string }): Db {
  const config: DynamoDBClientConfig = { region: options.region, maxAttempts: 5 }
  if (options.endpoint) {
    config.endpoint = options.endpoint
    // DynamoDB Local accepts any credentials; give it some so no credential chain is searched.
    config.credentials = { ...localCredentials }
  }
  // user-chosen map keys (tags: `constructor`…) must not make a plain object look like a class instance
  const marshallOptions = { removeUndefinedValues: true, convertClassInstanceToMap: true }
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(config), { marshallOptions })
  sendDataOperationsDirectly(db, marshallOptions)
  // outermost: sees the failure after the retries
  addSendMiddleware(db, markStorageFailures, { priority: 'high', name: 'dqsMarkStorageFailures' })
  return db
}

/**
 * Creates each table that does not exist yet, both at once (local runs and tests; deployed tables come from
 * sst.config.ts). Answers the names (`queues`, `messages`) of those it created. A server's start skips it on tables
 * an earlier start prepared (storage/prepare-tables.ts): what it would change on existing tables must be keyed to a
 * marker of its own.
 */
export async function ensureTables(db: Db, names: TableNames): Promise<Set<keyof TableNames>> {
  const created = new Set<keyof TableNames>()
  await Promise.all(tableDefinitions.map(async (definition) => {
    const tableName = names[definition.name]
    try {
      const { Table } = await db.send(new DescribeTableCommand({ TableName: tableName }))
      // tables made by an earlier DQS (data kept in ./.dqs) gain the stream the counts now come from
      if (definition.stream && !Table?.StreamSpecification?.StreamEnabled) {
        await db.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: streamSpecification(definition.stream) }))
      }
      return
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error
    }
    try {
      await db.send(new CreateTableCommand(createTableInput(definition, tableName)))
      created.add(definition.name)
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error
    }
    await db.send(new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: definition.ttl, Enabled: true },
    })).catch(() => undefined) // already enabled by a concurrent creator
  }))
  return created
}
