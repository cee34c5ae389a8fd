import { describe, expect, it } from 'vitest'
import { clients, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('FIFO dead-letter queues over $name', ({ client }) => {
  it('moves a message past maxReceiveCount to the FIFO dead-letter queue, whole and in order, and unblocks its group', async () => {
    const dlq = await client.createQueue({ QueueName: uniqueQueueName('fdlq', true), Attributes: { FifoQueue: 'true' } })
    const { Attributes } = await client.getQueueAttributes({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] })
    const { QueueUrl } = await client.createQueue({
      QueueName: uniqueQueueName('fsrc', true),
      Attributes: { FifoQueue: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 2 }) },
    })
    const sourceArn = (await client.getQueueAttributes({ QueueUrl, AttributeNames: ['QueueArn'] })).Attributes!.QueueArn
    const sent = await client.sendMessage({
      QueueUrl, MessageBody: 'poison', MessageGroupId: 'g', MessageDeduplicationId: 'p',
      MessageAttributes: { Kind: { DataType: 'String', StringValue: 'bad' } },
    })
    await client.sendMessage({ QueueUrl, MessageBody: 'fine', MessageGroupId: 'g', MessageDeduplicationId: 'f' })
    for (let i = 0; i < 2; i++) {
      const { Messages } = await client.receiveMessage({ QueueUrl, VisibilityTimeout: 0 })
      expect(Messages?.[0]?.Body).toBe('poison')
    }
    const next = await client.receiveMessage({ QueueUrl })
    expect(next.Messages?.map((m) => m.Body)).toEqual(['fine'])
    const moved = await client.receiveMessage({ QueueUrl: dlq.QueueUrl, AttributeNames: ['All'], MessageAttributeNames: ['All'] })
    expect(moved.Messages).toHaveLength(1)
    expect(moved.Messages![0]).toMatchObject({
      MessageId: sent.MessageId, Body: 'poison', MessageAttributes: { Kind: { DataType: 'String', StringValue: 'bad' } },
      Attributes: { MessageGroupId: 'g', MessageDeduplicationId: 'p', DeadLetterQueueSourceArn: sourceArn, ApproximateReceiveCount: '1' },
    })
  })
})
