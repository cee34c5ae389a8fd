import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { md5OfBody, md5OfMessageAttributes } from '@dqs/core'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { queryClient, uniqueQueueName } from '../support/clients.js'
import { appDocumentClient, outboxFixture, testOutbox } from './support.js'

const app = outboxFixture()
const { ddb, doc, outbox, sqs } = app

const newQueue = async () => (await sqs.createQueue({ QueueName: uniqueQueueName('outbox') })).QueueUrl!
const placeOrder = (id: string) => ({ Put: { TableName: app.orders, Item: { id, status: 'placed' }, ConditionExpression: 'attribute_not_exists(id)' } })
const receiveAll = async (QueueUrl: string, client = sqs) =>
  (await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'],
    // the Query client's model (3.445.0) predates MessageSystemAttributeNames
    MessageSystemAttributeNames: ['All'], AttributeNames: ['All'] })).Messages ?? []

describe('Transactional outbox on a standard queue', () => {
  it('delivers exactly one message, as SendMessage would have sent it, when the transaction commits', async () => {
    const QueueUrl = await newQueue()
    const attributes = { tenant: { DataType: 'String', StringValue: 'acme' } }
    const sent = await outbox.sendItems(QueueUrl, { body: '{"order":"o-1"}', attributes })
    expect(sent.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(sent.md5OfMessageBody).toBe(md5OfBody('{"order":"o-1"}'))
    expect(sent.md5OfMessageAttributes).toBe(md5OfMessageAttributes(attributes))
    await doc.send(new TransactWriteCommand({ TransactItems: [placeOrder('o-1'), ...sent.items] }))

    for (const client of [sqs, queryClient()]) {
      const [message, ...others] = await receiveAll(QueueUrl, client)
      expect(others).toEqual([])
      expect(message).toMatchObject({
        MessageId: sent.messageId, Body: '{"order":"o-1"}', MD5OfBody: sent.md5OfMessageBody, MD5OfMessageAttributes: sent.md5OfMessageAttributes,
        MessageAttributes: attributes, Attributes: { SenderId: '000000000000' },
      })
      await client.changeMessageVisibility({ QueueUrl, ReceiptHandle: message!.ReceiptHandle!, VisibilityTimeout: 0 })
    }
    await expect.poll(async () => (await sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] })).Attributes, { timeout: 10_000 })
      .toEqual({ ApproximateNumberOfMessages: '1' })
  })

  it('leaves no message when the transaction fails on the caller’s own condition', async () => {
    const QueueUrl = await newQueue()
    await doc.send(new PutCommand({ TableName: app.orders, Item: { id: 'o-taken', status: 'placed' } }))
    const sent = await outbox.sendItems(QueueUrl, { body: 'never' })
    await expect(doc.send(new TransactWriteCommand({ TransactItems: [placeOrder('o-taken'), ...sent.items] })))
      .rejects.toMatchObject({ name: 'TransactionCanceledException' })
    expect(await receiveAll(QueueUrl)).toEqual([])
    expect((await sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['All'] })).Attributes)
      .toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '0', ApproximateNumberOfMessagesNotVisible: '0' })
  })

  it('wakes a long poll waiting on the server within a few seconds of the commit', async () => {
    const QueueUrl = await newQueue()
    const poll = sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 })
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const sent = await outbox.sendItems(QueueUrl, { body: 'wake up' })
    await doc.send(new TransactWriteCommand({ TransactItems: [placeOrder(`o-${randomBytes(4).toString('hex')}`), ...sent.items] }))
    const committed = Date.now()
    const { Messages = [] } = await poll
    expect(Messages.map((m) => m.MessageId)).toEqual([sent.messageId])
    expect(Date.now() - committed).toBeLessThan(5_000)
  })

  it('writes a body over DynamoDB’s item size as chunk items of the same transaction', async () => {
    const QueueUrl = await newQueue()
    const body = randomBytes(700_000).toString('base64').slice(0, 1_000_000)
    const sent = await outbox.sendItems(QueueUrl, { body })
    expect(sent.items.length).toBeGreaterThan(1)
    await doc.send(new TransactWriteCommand({ TransactItems: [placeOrder('o-big'), ...sent.items] }))
    const [message] = await receiveAll(QueueUrl)
    expect(message?.Body).toBe(body)
  })

  it('fails the whole transaction clearly past DynamoDB’s 100 items, and nothing is sent', async () => {
    const QueueUrl = await newQueue()
    const mine = Array.from({ length: 100 }, (_, i) => placeOrder(`o-many-${i}`))
    const sent = await outbox.sendItems(QueueUrl, { body: 'one too many' })
    await expect(doc.send(new TransactWriteCommand({ TransactItems: [...mine, ...sent.items] })))
      .rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/less than or equal to 100/) })
    expect(await receiveAll(QueueUrl)).toEqual([])
  })

  it('reads through a low-level client or a document client of default options alike', async () => {
    const QueueUrl = await newQueue()
    const plain = testOutbox(appDocumentClient())
    const first = await plain.sendItems(QueueUrl, { body: 'via document client' })
    await appDocumentClient(ddb).send(new TransactWriteCommand({ TransactItems: first.items }))
    const second = await outbox.sendItems(QueueUrl, { body: 'via client' })
    await doc.send(new TransactWriteCommand({ TransactItems: second.items }))
    expect((await receiveAll(QueueUrl)).map((m) => m.Body).sort()).toEqual(['via client', 'via document client'])
  })

  it('answers SendMessage’s errors before anything is written', async () => {
    const QueueUrl = await newQueue()
    await expect(outbox.sendItems(QueueUrl.replace(/[^/]+$/, 'no-such-queue'), { body: 'x' })).rejects.toMatchObject({ shape: 'QueueDoesNotExist' })
    await expect(outbox.sendItems(QueueUrl, { body: 'x', delaySeconds: 901 })).rejects.toThrow(/DelaySeconds must be >= 0 and <= 900/)
    await expect(outbox.sendItems(QueueUrl, { body: 'x', messageDeduplicationId: 'd' })).rejects.toThrow(/not valid for this queue type/)
  })

  it('holds a message scheduled with DQS.DelaySeconds, as SendMessage does', async () => {
    const QueueUrl = await newQueue()
    const sent = await outbox.sendItems(QueueUrl, { body: 'later', attributes: { 'DQS.DelaySeconds': { DataType: 'Number', StringValue: '3600' } } })
    await doc.send(new TransactWriteCommand({ TransactItems: sent.items }))
    expect(await receiveAll(QueueUrl)).toEqual([])
    await expect.poll(async () => (await sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] })).Attributes, { timeout: 10_000 })
      .toEqual({ ApproximateNumberOfMessagesDelayed: '1' })
  })
})
