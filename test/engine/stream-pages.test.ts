/**
 * getRecords parses GetRecords' JSON itself instead of through the SDK's deserializer: its pages must read exactly
 * as the SDK's, binary values (a deflated body, bytes in maps and lists) included, but for what no reader looks at
 * (stream-page.ts `unreadRecordFields`), and a failure must still be the SDK's error.
 */
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams'
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { createDb, ensureTables, tableNames } from '../../packages/core/src/index.js'
import { getRecords, listStreamShards, messagesStreamArn, streamsClient } from '../../packages/core/src/storage/stream-shards.js'

const endpoint = inject('dynamoEndpoint')
const db = createDb({ endpoint, region: 'us-east-1' })
const streams = streamsClient(endpoint, 'us-east-1')
afterAll(() => streams.destroy())

describe('getRecords', () => {
  it('reads a page as the SDK reads it, binaries as bytes', async () => {
    const tables = tableNames(`dqs-pages-test-${randomBytes(4).toString('hex')}`)
    await ensureTables(db, tables)
    const body = randomBytes(3000)
    const item = {
      pk: 'q#1', sk: 'm#1', b: body, n: 7, t: 'text', empty: {},
      nested: { bytes: randomBytes(5), list: [randomBytes(3), 'x', { deep: randomBytes(2) }] },
      set: new Set([randomBytes(4), randomBytes(6)]),
    }
    await db.send(new PutCommand({ TableName: tables.messages, Item: item }))
    await db.send(new UpdateCommand({ TableName: tables.messages, Key: { pk: 'q#1', sk: 'm#1' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 8 } }))
    await db.send(new DeleteCommand({ TableName: tables.messages, Key: { pk: 'q#1', sk: 'm#1' } }))

    const streamArn = await messagesStreamArn(db, tables)
    const [shard] = await listStreamShards(streams, streamArn)
    const iterator = async () => (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard!.id, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!
    const ours = await getRecords(streams, await iterator(), 100)
    const sdk = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(), Limit: 100 }))

    expect(ours.Records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE'])
    const images = (records: typeof ours.Records) => records.map(({ dynamodb }) => ({
      seq: dynamodb?.SequenceNumber, newImage: dynamodb?.NewImage, oldImage: dynamodb?.OldImage,
    }))
    expect(images(ours.Records)).toEqual(images(sdk.Records ?? []))
    // what a record says of itself that no reader looks at is left out (its images hold the key)
    expect(sdk.Records![0]).toHaveProperty('eventID')
    expect(sdk.Records![0]!.dynamodb).toHaveProperty('Keys')
    for (const record of ours.Records) {
      expect(Object.keys(record).sort()).toEqual(['dynamodb', 'eventName'])
      expect(Object.keys(record.dynamodb!).sort()).toEqual(['SequenceNumber', ...record.dynamodb!.NewImage ? ['NewImage'] : [], ...record.dynamodb!.OldImage ? ['OldImage'] : []].sort())
    }
    const inserted = ours.Records[0]!.dynamodb!.NewImage!
    expect(Buffer.from(inserted.b!.B!).equals(body)).toBe(true)
    expect(inserted.nested!.M!.list!.L![0]!.B).toBeInstanceOf(Uint8Array)
    expect(typeof ours.NextShardIterator).toBe('string')

    // attributes a reader leaves out are cut from the page, and only those
    const trimmed = await getRecords(streams, await iterator(), 100, ['b', 'n'])
    const withoutBodies = images(sdk.Records ?? []).map(({ newImage, oldImage, ...rest }) => {
      const cut = (image?: Record<string, unknown>) => {
        if (!image) return image
        const { b: _b, n: _n, ...kept } = image
        return kept
      }
      return { ...rest, newImage: cut(newImage), oldImage: cut(oldImage) }
    })
    expect(images(trimmed.Records)).toEqual(withoutBodies)
    expect(trimmed.Records[0]!.dynamodb!.NewImage!.t).toEqual({ S: 'text' })
  })

  it('fails on an iterator it cannot read with the SDK\'s own error', async () => {
    const tables = tableNames(`dqs-pages-test-${randomBytes(4).toString('hex')}`)
    await ensureTables(db, tables)
    const streamArn = await messagesStreamArn(db, tables)
    const [shard] = await listStreamShards(streams, streamArn)
    const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard!.id, ShardIteratorType: 'LATEST' }))
    const unreadable = `${ShardIterator!.slice(0, -8)}AAAAAAAA`
    const ours = await getRecords(streams, unreadable, 10).then(() => undefined, (error: unknown) => error)
    const theirs = await streams.send(new GetRecordsCommand({ ShardIterator: unreadable, Limit: 10 })).then(() => undefined, (error: unknown) => error)
    expect(theirs).toBeInstanceOf(Error)
    expect(ours).toBeInstanceOf((theirs as Error).constructor)
    expect((ours as Error).name).toBe((theirs as Error).name)
  })
})
