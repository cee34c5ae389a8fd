import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { outboxCancellation } from '@dqs/outbox'
import { describe, expect, it } from 'vitest'
import { uniqueQueueName } from '../support/clients.js'
import { outboxFixture } from './support.js'

const app = outboxFixture()
const { doc, outbox, sqs } = app

const newQueue = async () =>
  (await sqs.createQueue({ QueueName: uniqueQueueName('outbox', true), Attributes: { FifoQueue: 'true' } })).QueueUrl!
let orderIds = 0
const placeOrder = () => ({ Put: { TableName: app.orders, Item: { id: `o-${++orderIds}-${Date.now()}` }, ConditionExpression: 'attribute_not_exists(id)' } })
const receiveGroup = async (QueueUrl: string) =>
  (await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] })).Messages ?? []
const httpSend = (QueueUrl: string, body: string, dedup = body) =>
  sqs.sendMessage({ QueueUrl, MessageBody: body, MessageGroupId: 'g', MessageDeduplicationId: dedup })

describe('Transactional outbox on a FIFO queue', () => {
  it('keeps one group’s order between HTTP sends and transactional sends', async () => {
    const QueueUrl = await newQueue()
    const first = await httpSend(QueueUrl, 'first')
    const sent = await outbox.sendItems(QueueUrl, { body: 'second', messageGroupId: 'g', messageDeduplicationId: 'second' })
    await doc.send(new TransactWriteCommand({ TransactItems: [placeOrder(), ...sent.items] }))
    const third = await httpSend(QueueUrl, 'third')
    const received = await receiveGroup(QueueUrl)
    expect(received.map((m) => m.Body)).toEqual(['first', 'second', 'third'])
    expect(received.map((m) => m.Attributes!.SequenceNumber)).toEqual([first.SequenceNumber, sent.sequenceNumber, third.SequenceNumber])
    expect(received[1]).toMatchObject({ MessageId: sent.messageId, MD5OfBody: sent.md5OfMessageBody, Attributes: { MessageDeduplicationId: 'second', MessageGroupId: 'g' } })
    expect(BigInt(sent.sequenceNumber!)).toBeGreaterThan(BigInt(first.SequenceNumber!))
  })

  it('fails the caller’s transaction on a live deduplication id, at the dedup item, and stores nothing', async () => {
    const QueueUrl = await newQueue()
    await httpSend(QueueUrl, 'original', 'order-7')
    const sent = await outbox.sendItems(QueueUrl, { body: 'again', messageGroupId: 'g', messageDeduplicationId: 'order-7' })
    const error = await doc.send(new TransactWriteCommand({ TransactItems: [placeOrder(), ...sent.items] })).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TransactionCanceledException' })
    expect(outboxCancellation(error, sent, 1)).toBe('duplicate')
    expect((await receiveGroup(QueueUrl)).map((m) => m.Body)).toEqual(['original'])
  })

  it('fails the caller’s transaction when another send moved the group meanwhile; built again, it goes through in order', async () => {
    const QueueUrl = await newQueue()
    const stale = await outbox.sendItems(QueueUrl, { body: 'transactional', messageGroupId: 'g', messageDeduplicationId: 't' })
    await httpSend(QueueUrl, 'concurrent')
    const error = await doc.send(new TransactWriteCommand({ TransactItems: [placeOrder(), ...stale.items] })).catch((e: unknown) => e)
    expect(outboxCancellation(error, stale, 1)).toBe('group-changed')
    const fresh = await outbox.sendItems(QueueUrl, { body: 'transactional', messageGroupId: 'g', messageDeduplicationId: 't' })
    await doc.send(new TransactWriteCommand({ TransactItems: [placeOrder(), ...fresh.items] }))
    expect((await receiveGroup(QueueUrl)).map((m) => m.Body)).toEqual(['concurrent', 'transactional'])
  })

  it('leaves the group as it was when the caller’s own condition fails', async () => {
    const QueueUrl = await newQueue()
    const taken = placeOrder()
    await doc.send(new TransactWriteCommand({ TransactItems: [taken] }))
    const sent = await outbox.sendItems(QueueUrl, { body: 'never', messageGroupId: 'g', messageDeduplicationId: 'never' })
    const error = await doc.send(new TransactWriteCommand({ TransactItems: [taken, ...sent.items] })).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TransactionCanceledException' })
    expect(outboxCancellation(error, sent, 1)).toBeNull()
    await httpSend(QueueUrl, 'after')
    expect((await receiveGroup(QueueUrl)).map((m) => m.Body)).toEqual(['after'])
    await expect.poll(async () => (await sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] })).Attributes, { timeout: 10_000 })
      .toEqual({ ApproximateNumberOfMessages: '0' })
  })

  it('wakes a long poll waiting on the server within a few seconds of the commit', async () => {
    const QueueUrl = await newQueue()
    const poll = sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 })
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const sent = await outbox.sendItems(QueueUrl, { body: 'wake', messageGroupId: 'g', messageDeduplicationId: 'wake' })
    await doc.send(new TransactWriteCommand({ TransactItems: [placeOrder(), ...sent.items] }))
    const committed = Date.now()
    expect(((await poll).Messages ?? []).map((m) => m.MessageId)).toEqual([sent.messageId])
    expect(Date.now() - committed).toBeLessThan(5_000)
  })

  it('refuses a schedule on a FIFO queue as SendMessage does', async () => {
    const QueueUrl = await newQueue()
    await expect(outbox.sendItems(QueueUrl, {
      body: 'x', messageGroupId: 'g', messageDeduplicationId: 'x', attributes: { 'DQS.DelaySeconds': { DataType: 'Number', StringValue: '60' } },
    })).rejects.toThrow(/standard queues only/)
  })
})
