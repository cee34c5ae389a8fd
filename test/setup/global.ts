/** Starts one DynamoDB Local and one DQS server for the whole run, and stops both afterwards. */
import { loadConfig } from '@dqs/core'
import { startDynamoLocal, startLocalServer } from '@dqs/server'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    dqsEndpoint: string
    dynamoEndpoint: string
    tablePrefix: string
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamoLocal()
  const tablePrefix = 'dqs-test'
  const config = loadConfig({
    DQS_PORT: '0',
    DQS_DYNAMODB_ENDPOINT: dynamo.endpoint,
    DQS_TABLE_PREFIX: tablePrefix,
    DQS_QUEUE_CACHE_MS: '0',
  })
  const server = await startLocalServer(config)
  project.provide('dqsEndpoint', server.url)
  project.provide('dynamoEndpoint', dynamo.endpoint)
  project.provide('tablePrefix', tablePrefix)
  return async () => {
    await server.close()
    await dynamo.stop()
  }
}
