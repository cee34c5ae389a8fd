import type { SQS } from '@aws-sdk/client-sqs'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { accountId, clients, uniqueQueueName } from '../support/clients.js'

/** A source queue redriving to a fresh dead-letter queue after `maxReceiveCount` receives. */
async function queueWithDeadLetterQueue(client: SQS, maxReceiveCount: number) {
  const names = { source: uniqueQueueName('src'), dlq: uniqueQueueName('dlq') }
  const arn = (name: string) => `arn:aws:sqs:us-east-1:${accountId}:${name}`
  const { QueueUrl: dlq } = await client.createQueue({ QueueName: names.dlq })
  const { QueueUrl: source } = await client.createQueue({
    QueueName: names.source,
    Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn(names.dlq), maxReceiveCount }) },
  })
  return { source: source!, dlq: dlq!, sourceArn: arn(names.source), dlqArn: arn(names.dlq) }
}

describe.each(clients)('Redrive to a dead-letter queue over $name', ({ client }) => {
  /** Receives with VisibilityTimeout 0 `times` times, each time expecting the message back. */
  async function receiveTimes(QueueUrl: string, times: number) {
    for (let i = 0; i < times; i++) expect((await client.receiveMessage({ QueueUrl, VisibilityTimeout: 0 })).Messages).toHaveLength(1)
  }
  const receiveAll = (QueueUrl: string) => client.receiveMessage({
    QueueUrl, AttributeNames: ['All'], MessageAttributeNames: ['All'], MaxNumberOfMessages: 10, VisibilityTimeout: 0,
  })

  it('moves a message received maxReceiveCount times on its next receive, whole', async () => {
    const { source, dlq, sourceArn } = await queueWithDeadLetterQueue(client, 2)
    const sent = await client.sendMessage({
      QueueUrl: source, MessageBody: 'poison',
      MessageAttributes: { Foo: { DataType: 'String', StringValue: 'Bar' } },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' } },
    })
    const sentAt = (await client.receiveMessage({ QueueUrl: source, AttributeNames: ['SentTimestamp' as never], VisibilityTimeout: 0 })).Messages![0]!.Attributes!.SentTimestamp
    await receiveTimes(source, 1)
    expect((await client.receiveMessage({ QueueUrl: source })).Messages).toBeUndefined()
    const { Messages } = await receiveAll(dlq)
    expect(Messages).toHaveLength(1)
    const moved = Messages![0]!
    expect(moved).toMatchObject({
      MessageId: sent.MessageId, Body: 'poison', MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      MessageAttributes: { Foo: { DataType: 'String', StringValue: 'Bar' } },
    })
    expect(moved.Attributes).toMatchObject({
      DeadLetterQueueSourceArn: sourceArn, ApproximateReceiveCount: '1', SentTimestamp: sentAt, AWSTraceHeader: 'Root=1-abc',
    })
  })

  it('moves nothing while the receive count is below maxReceiveCount', async () => {
    const { source, dlq } = await queueWithDeadLetterQueue(client, 3)
    await client.sendMessage({ QueueUrl: source, MessageBody: 'not yet' })
    await receiveTimes(source, 3)
    expect((await client.receiveMessage({ QueueUrl: dlq })).Messages).toBeUndefined()
  })

  it('moves a big message with its chunks', async () => {
    const { source, dlq } = await queueWithDeadLetterQueue(client, 1)
    const MessageBody = randomBytes(450_000).toString('base64')
    await client.sendMessage({ QueueUrl: source, MessageBody })
    await receiveTimes(source, 1)
    expect((await client.receiveMessage({ QueueUrl: source })).Messages).toBeUndefined()
    expect((await client.receiveMessage({ QueueUrl: dlq })).Messages?.[0]?.Body).toBe(MessageBody)
  })

  it('keeps delivering from the source when the dead-letter queue denies all sources', async () => {
    const { source, dlq } = await queueWithDeadLetterQueue(client, 1)
    await client.setQueueAttributes({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) } })
    await client.sendMessage({ QueueUrl: source, MessageBody: 'stays' })
    await receiveTimes(source, 3)
    expect((await client.receiveMessage({ QueueUrl: dlq })).Messages).toBeUndefined()
  })

  it('moves only for the sources a byQueue policy lists', async () => {
    const listed = await queueWithDeadLetterQueue(client, 1)
    const unlisted = await queueWithDeadLetterQueue(client, 1)
    for (const { dlq, sourceArn } of [listed, unlisted]) {
      const other = `arn:aws:sqs:us-east-1:${accountId}:${uniqueQueueName('other')}`
      const sourceQueueArns = dlq === listed.dlq ? [other, sourceArn] : [other]
      await client.setQueueAttributes({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns }) } })
    }
    for (const { source, dlq } of [listed, unlisted]) {
      await client.sendMessage({ QueueUrl: source, MessageBody: 'm' })
      await receiveTimes(source, 1)
      await client.receiveMessage({ QueueUrl: source, VisibilityTimeout: 0 })
      const moved = (await client.receiveMessage({ QueueUrl: dlq })).Messages ?? []
      expect(moved).toHaveLength(dlq === listed.dlq ? 1 : 0)
    }
  })

  it('does not lose the message when the dead-letter queue was deleted', async () => {
    const { source, dlq } = await queueWithDeadLetterQueue(client, 1)
    await client.sendMessage({ QueueUrl: source, MessageBody: 'orphan' })
    await client.deleteQueue({ QueueUrl: dlq })
    await receiveTimes(source, 3)
  })
})
