/**
 * The DynamoDB meter on DynamoDB Local, behind a proxy that throttles on demand: throttled attempts, retries,
 * outcomes and units by operation.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { createDb, tableNames } from '@dqs/core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { meterDynamo } from '../../packages/api/src/metrics/dynamo-meter.js'
import { DqsMetrics } from '../../packages/api/src/metrics/registry.js'
import { startFaultProxy, type FaultProxy } from '../reliability/support/fault-proxy.js'

let proxy: FaultProxy
beforeAll(async () => {
  proxy = await startFaultProxy(inject('dynamoEndpoint'))
})
afterAll(() => proxy.close())

describe('the DynamoDB meter', () => {
  it('asks for consumed capacity and counts requests, units, throttled attempts and retries by operation', async () => {
    const metrics = new DqsMetrics()
    const db = createDb({ endpoint: proxy.url, region: 'us-east-1' })
    meterDynamo(db, metrics)
    meterDynamo(db, metrics) // once only: the middleware replaces itself
    const table = tableNames(inject('tablePrefix')).queues
    const key = { pk: `meter-${Date.now()}`, sk: '#' }

    // throttled until the proxy has refused one attempt, then let through: the SDK retries with its backoff
    proxy.setPlan({ rate: 1, faults: ['throttle'] })
    const reading = db.send(new GetCommand({ TableName: table, Key: key }))
    while (proxy.counts().injected.throttle === 0) await new Promise((resolve) => setTimeout(resolve, 1))
    proxy.setPlan(null)
    await reading
    const throttled = proxy.counts().injected.throttle
    await expect(db.send(new UpdateCommand({
      TableName: table, Key: key, UpdateExpression: 'SET x = :x', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':x': 1 },
    }))).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' })
    db.destroy()

    const value = async (name: string, labels: Record<string, string>) =>
      (await metrics.registry.getSingleMetric(name)!.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value
    expect(await value('dqs_dynamodb_requests_total', { operation: 'GetItem', outcome: 'success' })).toBe(1)
    expect(await value('dqs_dynamodb_requests_total', { operation: 'UpdateItem', outcome: 'condition_failed' })).toBe(1)
    expect(throttled).toBeGreaterThan(0)
    expect(await value('dqs_dynamodb_throttles_total', { operation: 'GetItem' })).toBe(throttled)
    expect(await value('dqs_dynamodb_retries_total', { operation: 'GetItem' })).toBe(throttled)
    // an eventually consistent read of an absent item: DynamoDB bills half a unit
    expect(await value('dqs_dynamodb_consumed_read_units_total', { operation: 'GetItem', table })).toBe(0.5)
  })
})
