import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { accountId, clients, sqsError, uniqueQueueName } from '../support/clients.js'

const fifoOnly = ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']

describe.each(clients)('GetQueueAttributes over $name', ({ client, dialect }) => {
  it('returns every attribute for All', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('attrs') })
    const { Attributes } = await client.getQueueAttributes({ QueueUrl, AttributeNames: ['All'] })
    expect(Object.keys(Attributes!).sort()).toEqual([
      'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible',
      'CreatedTimestamp', 'DelaySeconds', 'LastModifiedTimestamp', 'MaximumMessageSize', 'MessageRetentionPeriod',
      'QueueArn', 'ReceiveMessageWaitTimeSeconds', 'SqsManagedSseEnabled', 'VisibilityTimeout',
    ])
  })

  it('returns only the attributes named', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('attrs'), Attributes: { VisibilityTimeout: '17' } })
    const { Attributes } = await client.getQueueAttributes({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'DelaySeconds'] })
    expect(Attributes).toEqual({ VisibilityTimeout: '17', DelaySeconds: '0' })
  })

  it('returns no Attributes when none are asked for', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('attrs') })
    expect((await client.getQueueAttributes({ QueueUrl })).Attributes).toBeUndefined()
  })

  it('reports the queue ARN from region, account and name', async () => {
    const name = uniqueQueueName('attrs')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    const { Attributes } = await client.getQueueAttributes({ QueueUrl, AttributeNames: ['QueueArn'] })
    expect(Attributes).toEqual({ QueueArn: `arn:aws:sqs:us-east-1:${accountId}:${name}` })
  })

  it('reports timestamps in epoch seconds', async () => {
    const before = Math.floor(Date.now() / 1000)
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('attrs') })
    const { Attributes } = await client.getQueueAttributes({ QueueUrl, AttributeNames: ['CreatedTimestamp', 'LastModifiedTimestamp'] })
    for (const value of [Attributes!.CreatedTimestamp, Attributes!.LastModifiedTimestamp]) {
      expect(value).toMatch(/^\d{10}$/)
      expect(Number(value)).toBeGreaterThanOrEqual(before)
      expect(Number(value)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000))
    }
  })

  it('reports SQS-managed encryption on for a new queue', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('attrs') })
    expect((await client.getQueueAttributes({ QueueUrl, AttributeNames: ['SqsManagedSseEnabled'] })).Attributes)
      .toEqual({ SqsManagedSseEnabled: 'true' })
  })

  it('shows FIFO-only attributes on FIFO queues only', async () => {
    const standard = await client.createQueue({ QueueName: uniqueQueueName('attrs') })
    const fifo = await client.createQueue({ QueueName: uniqueQueueName('attrs', true), Attributes: { FifoQueue: 'true' } })
    const ofStandard = await client.getQueueAttributes({ QueueUrl: standard.QueueUrl, AttributeNames: ['All'] })
    const named = await client.getQueueAttributes({ QueueUrl: standard.QueueUrl, AttributeNames: fifoOnly as never })
    const ofFifo = await client.getQueueAttributes({ QueueUrl: fifo.QueueUrl, AttributeNames: ['All'] })
    for (const name of fifoOnly) {
      expect(ofStandard.Attributes).not.toHaveProperty(name)
      expect(ofFifo.Attributes).toHaveProperty(name)
    }
    expect(named.Attributes).toBeUndefined()
  })

  it('reports visible, in-flight and delayed counts within a few seconds after activity stops', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('counts') })
    await client.sendMessageBatch({ QueueUrl, Entries: Array.from({ length: 5 }, (_, i) => ({ Id: `v${i}`, MessageBody: 'm' })) })
    await client.sendMessageBatch({ QueueUrl, Entries: [{ Id: 'd1', MessageBody: 'later', DelaySeconds: 600 }, { Id: 'd2', MessageBody: 'later', DelaySeconds: 600 }] })
    const { Messages } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 3, VisibilityTimeout: 600 })
    await client.deleteMessage({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle })
    const expected = { ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '2', ApproximateNumberOfMessagesDelayed: '2' }
    const names = Object.keys(expected) as never[]
    const deadline = Date.now() + 5000
    let counts: Record<string, string> | undefined
    do {
      counts = (await client.getQueueAttributes({ QueueUrl, AttributeNames: names })).Attributes
      if (isDeepStrictEqual(counts, expected)) break
      await new Promise((resolve) => setTimeout(resolve, 250))
    } while (Date.now() < deadline)
    expect(counts).toEqual(expected)
  })

  it('answers InvalidAttributeName for a name SQS does not know', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('attrs') })
    await expect(client.getQueueAttributes({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'Colour' as never] }))
      .rejects.toMatchObject(sqsError(dialect, { name: 'InvalidAttributeName', status: 400, message: 'Unknown Attribute Colour.' }))
  })

  it('does not know ApproximateAgeOfOldestMessage, a CloudWatch metric only', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('attrs') })
    await expect(client.getQueueAttributes({ QueueUrl, AttributeNames: ['ApproximateAgeOfOldestMessage' as never] }))
      .rejects.toMatchObject(sqsError(dialect, { name: 'InvalidAttributeName', status: 400 }))
  })
})
