/** @module storage/dynamo — the DynamoDB document client, and creating the tables where they are missing. */
import {
  CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, ResourceNotFoundException,
  UpdateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { markStorageFailures } from './dynamo-errors.js'
import { createTableInput, streamSpecification, tableDefinitions, type TableNames } from './tables.js'

export type Db = DynamoDBDocumentClient

export function createDb(options: { endpoint?: string; region: string }): Db {
  const config: DynamoDBClientConfig = { region: options.region, maxAttempts: 5 }
  if (options.endpoint) {
    config.endpoint = options.endpoint
    // DynamoDB Local accepts any credentials; give it some so no credential chain is searched.
    config.credentials = { accessKeyId: 'dqs', secretAccessKey: 'dqs' }
  }
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    // user-chosen map keys (tags: `constructor`…) must not make a plain object look like a class instance
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  })
  // outermost: sees the failure after the SDK's retries and this project's own middleware (withoutReplay)
  db.middlewareStack.add(markStorageFailures, { step: 'initialize', priority: 'high', name: 'dqsMarkStorageFailures' })
  return db
}

/** A write that may or may not have been applied: its answer was lost or said nothing certain (a 5xx, a reset). */
export class AmbiguousWriteError extends Error {
  override readonly name = 'AmbiguousWriteError'
  constructor(readonly original: unknown) {
    super(`DynamoDB may or may not have applied the write: ${(original as Error)?.message ?? String(original)}`)
  }
}

/**
 * Keeps the client from replaying this write when its outcome is unknown. The SDK retries a request whose answer
 * was lost, but a put replayed after a consumer received or deleted the message puts it back as new: a deleted
 * message would be delivered again. A refusal (4xx: throttling, validation) wrote nothing and is still retried; any
 * other failure ends the call as an AmbiguousWriteError, so the caller's client retries the whole send instead.
 * (The error keeps the original out of `cause`, which the SDK's retry classification would follow.)
 */
export function withoutReplay<C extends { middlewareStack: { add: Function } }>(command: C): C {
  command.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      try {
        return await next(args)
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
        if (status !== undefined && status >= 400 && status < 500) throw error
        throw new AmbiguousWriteError(error)
      }
    },
    // inside the retry middleware (finalizeRequest, high priority): each attempt's failure passes through here first
    { step: 'finalizeRequest', priority: 'low', name: 'dqsWithoutReplay', override: true },
  )
  return command
}

/**
 * Creates each table that does not exist yet, both at once (local runs and tests; deployed tables come from
 * sst.config.ts). Answers the names (`queues`, `messages`) of those it created.
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
