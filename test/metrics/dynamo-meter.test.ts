/** The DynamoDB meter against a stand-in DynamoDB that throttles once: throttles, retries, outcomes and units. */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { createDb } from '@dqs/core'
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { meterDynamo } from '../../packages/api/src/metrics/dynamo-meter.js'
import { DqsMetrics } from '../../packages/api/src/metrics/registry.js'

const received: Array<{ target: string; body: Record<string, unknown> }> = []
let throttleNext = 0
let server: Server
let endpoint: string

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = ''
    request.on('data', (chunk) => (text += chunk))
    request.on('end', () => {
      const target = String(request.headers['x-amz-target']).split('.')[1]!
      received.push({ target, body: JSON.parse(text) })
      response.setHeader('content-type', 'application/x-amz-json-1.0')
      if (throttleNext > 0) {
        throttleNext--
        response.statusCode = 400
        return response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'slow down' }))
      }
      if (target === 'UpdateItem') {
        response.statusCode = 400
        return response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed' }))
      }
      response.end(JSON.stringify({ Item: { pk: { S: 'a' } }, ConsumedCapacity: { TableName: 'things', CapacityUnits: 0.5 } }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

describe('the DynamoDB meter', () => {
  it('asks for consumed capacity and counts requests, units, throttled attempts and retries by operation', async () => {
    const metrics = new DqsMetrics()
    const db = createDb({ endpoint, region: 'us-east-1' })
    meterDynamo(db, metrics)
    meterDynamo(db, metrics) // once only: the middleware replaces itself
    throttleNext = 2
    await db.send(new GetCommand({ TableName: 'things', Key: { pk: 'a' } }))
    await expect(db.send(new UpdateCommand({
      TableName: 'things', Key: { pk: 'a' }, UpdateExpression: 'SET x = :x', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':x': 1 },
    }))).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' })
    db.destroy()

    expect(received.map((r) => r.target)).toEqual(['GetItem', 'GetItem', 'GetItem', 'UpdateItem'])
    expect(received.every((r) => r.body.ReturnConsumedCapacity === 'TOTAL')).toBe(true)
    const value = async (name: string, labels: Record<string, string>) =>
      (await metrics.registry.getSingleMetric(name)!.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value
    expect(await value('dqs_dynamodb_requests_total', { operation: 'GetItem', outcome: 'success' })).toBe(1)
    expect(await value('dqs_dynamodb_requests_total', { operation: 'UpdateItem', outcome: 'condition_failed' })).toBe(1)
    expect(await value('dqs_dynamodb_throttles_total', { operation: 'GetItem' })).toBe(2)
    expect(await value('dqs_dynamodb_retries_total', { operation: 'GetItem' })).toBe(2)
    expect(await value('dqs_dynamodb_consumed_read_units_total', { operation: 'GetItem', table: 'things' })).toBe(0.5)
  })
})
