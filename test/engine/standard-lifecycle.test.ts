import { randomBytes } from 'node:crypto'
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { tableNames } from '@dqs/core'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { uniqueQueueName } from '../support/clients.js'
import { testEngine } from '../support/engine.js'

const { engine, clock, db, createQueue, send, receive } = testEngine()
afterAll(() => db.destroy())

describe('standard queue lifecycle (manual clock)', () => {
  it('lets a deleted queue’s name be used again after 60 s, without its old messages', async () => {
    const name = uniqueQueueName('reborn')
    const first = await createQueue({}, name)
    await send(first, 'from the first life')
    await engine.deleteQueue(first)
    clock.advance(59_999)
    await expect(createQueue({}, name)).rejects.toMatchObject({ shape: 'QueueDeletedRecently' })
    clock.advance(1)
    const second = await createQueue({}, name)
    expect(second.id).not.toBe(first.id)
    expect(await receive(second)).toHaveLength(0)
  })

  it('allows one purge per 60 s, and a purge drops what was sent before it', async () => {
    const queue = await createQueue()
    await send(queue, 'before')
    await engine.purgeQueue(queue)
    const purged = await engine.getQueue(queue.accountId, queue.name)
    expect(await receive(purged)).toHaveLength(0)
    await send(purged, 'after')
    clock.advance(59_999)
    await expect(engine.purgeQueue(purged)).rejects.toMatchObject({ shape: 'PurgeQueueInProgress', status: 403 })
    expect((await receive(purged)).map((m) => m.body)).toEqual(['after'])
    clock.advance(1)
    await engine.purgeQueue(purged)
  })
})

describe('big messages (manual clock)', () => {
  it('deletes a chunked message together with its chunk items, in one batch with a small one', async () => {
    const queue = await createQueue({}, uniqueQueueName('chunks'))
    // random base64 barely deflates: 900 KB of it needs chunk items beside the message item
    const big = randomBytes(675_000).toString('base64')
    await send(queue, big)
    await send(queue, 'small')
    const received = await receive(queue)
    expect(received.map((m) => m.body.length).sort((a, b) => a - b)).toEqual([5, big.length])
    const partitions = [...new Set(received.map((m) => m.pk))]
    const itemsIn = async () => (await Promise.all(partitions.map(async (pk) =>
      (await db.send(new QueryCommand({ TableName: tableNames(inject('tablePrefix')).messages, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }))).Items ?? []))).flat()
    expect((await itemsIn()).length).toBeGreaterThan(2)
    expect(await engine.deleteMessageBatch(queue, received.map((m) => m.receiptHandle))).toEqual([null, null])
    expect(await itemsIn()).toEqual([])
  })
})
