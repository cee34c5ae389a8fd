/**
 * functions/counts.ts fed literal DynamoDB stream events, as a Lambda event-source mapping delivers them, built from
 * the real stream of tables that no local server follows.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record,
} from '@aws-sdk/client-dynamodb-streams'
import { CountsFeed, toStreamChange } from '@dqs/core'
import type { DynamoDBStreamEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { accountId, uniqueQueueName } from '../support/clients.js'
import { testEngine } from '../support/engine.js'

const { engine, db, tables, tablePrefix: prefix, ensureOwnTables } = testEngine({ ownTables: 'lambda-counts' })
let handler: (event: DynamoDBStreamEvent) => Promise<void>
let streamArn: string
/** Per shard: the last sequence number read. */
const readUpTo = new Map<string, string | undefined>()
const streams = new DynamoDBStreamsClient({
  endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'dqs', secretAccessKey: 'dqs' },
})

beforeAll(async () => {
  await ensureOwnTables()
  streamArn = (await db.send(new DescribeTableCommand({ TableName: tables.messages }))).Table!.LatestStreamArn!
  // what sst.config.ts gives the function; read when the module loads (a cold start)
  Object.assign(process.env, { DQS_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), DQS_TABLE_PREFIX: prefix, AWS_REGION: 'us-east-1' })
  handler = (await import('../../functions/counts.js')).handler
})
afterAll(() => {
  db.destroy()
  streams.destroy()
})

/** Records written since the last call, in stream order (DynamoDB Local has one shard per table). */
async function newRecords(): Promise<_Record[]> {
  const records: _Record[] = []
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))
  for (const { ShardId } of StreamDescription!.Shards!) {
    const after = readUpTo.get(ShardId!)
    let iterator = (await streams.send(new GetShardIteratorCommand({
      StreamArn: streamArn, ShardId, ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
    }))).ShardIterator
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))
      if (!page.Records?.length) break
      records.push(...page.Records)
      readUpTo.set(ShardId!, page.Records.at(-1)!.dynamodb!.SequenceNumber)
      iterator = page.NextShardIterator
    }
  }
  return records
}

/** Attribute values as Lambda's JSON carries them: binary as base64 text. */
function lambdaJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (Array.isArray(value)) return value.map(lambdaJson)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, lambdaJson(v)]))
  return value
}

function lambdaEvent(records: _Record[]): DynamoDBStreamEvent {
  return {
    Records: records.map((record) => ({
      eventID: record.eventID,
      eventName: record.eventName as 'INSERT' | 'MODIFY' | 'REMOVE',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: streamArn,
      dynamodb: {
        ...(lambdaJson(record.dynamodb) as object),
        ApproximateCreationDateTime: Math.floor(record.dynamodb!.ApproximateCreationDateTime!.getTime() / 1000),
      },
    })),
  }
}

describe('the counts function', () => {
  it('keeps a standard queue’s counts from stream batches, however the batches are cut, ignoring FIFO and chunk items', async () => {
    const queue = await engine.createQueue({ accountId, name: uniqueQueueName('lcounts'), attributes: {}, tags: {} })
    const fifo = await engine.createQueue({ accountId, name: uniqueQueueName('lcounts', true), attributes: { FifoQueue: 'true' }, tags: {} })
    await engine.sendMessages(queue, [
      ...Array.from({ length: 5 }, (_, i) => ({ body: `visible ${i}` })),
      { body: 'x'.repeat(600_000) },
      { body: 'later', delaySeconds: 600 }, { body: 'later', delaySeconds: 600 },
    ], accountId)
    await engine.sendMessages(fifo, [{ body: 'f', messageGroupId: 'g', messageDeduplicationId: 'd' }], accountId)
    const received = await engine.receiveMessages(queue, { maxNumberOfMessages: 3, visibilityTimeout: 600, waitTimeSeconds: 0 })
    expect(received).toHaveLength(3)
    await engine.deleteMessage(queue, received[0]!.receiptHandle)

    const records = await newRecords()
    const cut = Math.floor(records.length / 2)
    expect(records.length).toBeGreaterThan(8)
    await handler(lambdaEvent(records.slice(0, cut)))
    await handler(lambdaEvent(records.slice(cut)))
    expect(await engine.approximateCounts(queue)).toEqual({ visible: 3, notVisible: 2, delayed: 2 })
  })

  it('rejects a batch whose update DynamoDB refuses, so Lambda delivers it again, and counts it once it goes through', async () => {
    const queue = await engine.createQueue({ accountId, name: uniqueQueueName('lcounts'), attributes: {}, tags: {} })
    await engine.sendMessages(queue, [{ body: 'one' }], accountId)
    const event = lambdaEvent(await newRecords())
    const changes = event.Records.map(toStreamChange)
    await expect(new CountsFeed({ db, tables: { ...tables, queues: `${prefix}-missing` } }).apply(changes, Date.now()))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException' })
    expect(await engine.approximateCounts(queue)).toEqual({ visible: 0, notVisible: 0, delayed: 0 })
    // a record that cannot be read is left out rather than blocking the shard behind it
    const unreadable = { ...event.Records[0]!, dynamodb: { NewImage: { pk: { Q: 'no such type' } } } } as never
    await handler({ Records: [unreadable, ...event.Records] })
    expect(await engine.approximateCounts(queue)).toEqual({ visible: 1, notVisible: 0, delayed: 0 })
  })
})
