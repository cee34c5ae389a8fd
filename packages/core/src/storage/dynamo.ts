/** @module storage/dynamo — the DynamoDB document client, and creating the tables where they are missing. */
import {
  CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, ResourceNotFoundException,
  UpdateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createTableInput, streamSpecification, tableDefinitions, type TableNames } from './tables.js'

export type Db = DynamoDBDocumentClient

export function createDb(options: { endpoint?: string; region: string }): Db {
  const config: DynamoDBClientConfig = { region: options.region, maxAttempts: 5 }
  if (options.endpoint) {
    config.endpoint = options.endpoint
    // DynamoDB Local accepts any credentials; give it some so no credential chain is searched.
    config.credentials = { accessKeyId: 'dqs', secretAccessKey: 'dqs' }
  }
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    // user-chosen map keys (tags: `constructor`…) must not make a plain object look like a class instance
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  })
}

/** Creates each table that does not exist yet (local runs and tests; deployed tables come from sst.config.ts). */
export async function ensureTables(db: Db, names: TableNames) {
  for (const definition of tableDefinitions) {
    const tableName = names[definition.name]
    try {
      const { Table } = await db.send(new DescribeTableCommand({ TableName: tableName }))
      // tables made by an earlier DQS (data kept in ./.dqs) gain the stream the counts now come from
      if (definition.stream && !Table?.StreamSpecification?.StreamEnabled) {
        await db.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: streamSpecification(definition.stream) }))
      }
      continue
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error
    }
    try {
      await db.send(new CreateTableCommand(createTableInput(definition, tableName)))
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error
    }
    await db.send(new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: definition.ttl, Enabled: true },
    })).catch(() => undefined) // already enabled by a concurrent creator
  }
}
