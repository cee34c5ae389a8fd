import { describe, expect, it } from 'vitest'
import { clients, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('send, receive, delete over $name', ({ client }) => {
  it('round-trips a message with attributes and MD5s the SDK checks', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('smoke') })
    const sent = await client.sendMessage({
      QueueUrl, MessageBody: 'hello\r\n<&"world">',
      MessageAttributes: { Foo: { DataType: 'String', StringValue: 'Bar' }, Bin: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) } },
    })
    expect(sent.MessageId).toBeTruthy()
    const { Messages } = await client.receiveMessage({ QueueUrl, MessageAttributeNames: ['All'], AttributeNames: ['All'], MaxNumberOfMessages: 10 })
    expect(Messages).toHaveLength(1)
    expect(Messages![0]!.Body).toBe('hello\r\n<&"world">')
    expect(Messages![0]!.MessageAttributes!.Foo!.StringValue).toBe('Bar')
    expect(Messages![0]!.Attributes!.ApproximateReceiveCount).toBe('1')
    await client.deleteMessage({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle! })
    const again = await client.receiveMessage({ QueueUrl })
    expect(again.Messages).toBeUndefined()
  })
})
