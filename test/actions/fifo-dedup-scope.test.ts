import { describe, expect, it } from 'vitest'
import { clients, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('DeduplicationScope changed on a FIFO queue over $name', ({ client }) => {
  it('keeps deduplicating the ids recorded before the change as they were recorded', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('scope', true), Attributes: { FifoQueue: 'true' } })
    const send = (MessageBody: string, MessageGroupId: string, MessageDeduplicationId: string) =>
      client.sendMessage({ QueueUrl, MessageBody, MessageGroupId, MessageDeduplicationId })
    const first = await send('queue-wide', 'g1', 'q')
    await client.setQueueAttributes({ QueueUrl, Attributes: { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' } })
    const repeat = await send('queue-wide again', 'g2', 'q')
    expect(repeat.MessageId).toBe(first.MessageId)
    expect(repeat.SequenceNumber).toBe(first.SequenceNumber)
    const { Messages } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })
    expect(Messages!.map((m) => m.Body)).toEqual(['queue-wide'])
  })
})
