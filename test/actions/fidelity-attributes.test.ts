import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { clients, sqsError, uniqueQueueName } from '../support/clients.js'

const invalidCharacters =
  'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF'

/** docs/reference/sqs.md §b.1 for String attributes: names sorted, every part length-prefixed UTF-8. */
function md5OfStringAttributes(attributes: Record<string, { DataType: string; StringValue: string }>) {
  const prefixed = (text: string) => {
    const bytes = Buffer.from(text, 'utf8')
    const length = Buffer.alloc(4)
    length.writeUInt32BE(bytes.length)
    return Buffer.concat([length, bytes])
  }
  const hash = createHash('md5')
  for (const name of Object.keys(attributes).sort()) {
    const { DataType, StringValue } = attributes[name]!
    hash.update(prefixed(name)).update(prefixed(DataType)).update(Buffer.of(1)).update(prefixed(StringValue))
  }
  return hash.digest('hex')
}

describe.each(clients)('Message and queue attribute rules over $name', ({ client, dialect }) => {
  const newQueue = async () => (await client.createQueue({ QueueName: uniqueQueueName('fattr') })).QueueUrl!
  const invalidParameter = (message: string) => sqsError(dialect, { name: 'InvalidParameterValue', status: 400, message, modelled: false })

  it('accepts message attribute names with non-ASCII letters, with the MD5 of their UTF-8 bytes', async () => {
    const QueueUrl = await newQueue()
    const MessageAttributes = {
      'attr.1øßä': { DataType: 'String', StringValue: 'Valida' },
      'größe': { DataType: 'Number', StringValue: '42' },
    }
    const sent = await client.sendMessage({ QueueUrl, MessageBody: 'm', MessageAttributes })
    expect(sent.MD5OfMessageAttributes).toBe(md5OfStringAttributes(MessageAttributes))
    const { Messages } = await client.receiveMessage({ QueueUrl, MessageAttributeNames: ['All'] })
    expect(Messages![0]!.MessageAttributes).toEqual(MessageAttributes)
    expect(Messages![0]!.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes)
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'm', MessageAttributes: { 'Invalid-§-attr': { DataType: 'String', StringValue: 'v' } } }))
      .rejects.toMatchObject(invalidParameter("Message (user) attribute name 'Invalid-§-attr' is invalid. The attribute name can contain alphanumeric characters, underscore (_), hyphen (-), and period (.)."))
  })

  it('answers InvalidParameterValue for invalid characters in a String attribute value, alone or in a batch', async () => {
    const QueueUrl = await newQueue()
    const MessageAttributes = { a: { DataType: 'String', StringValue: `Invalid-${String.fromCharCode(8)}` } }
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'm', MessageAttributes })).rejects.toMatchObject(invalidParameter(invalidCharacters))
    const { Failed } = await client.sendMessageBatch({ QueueUrl, Entries: [{ Id: 'bad', MessageBody: 'm', MessageAttributes }] })
    expect(Failed).toEqual([{ Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue', Message: invalidCharacters }])
  })

  it('takes a blank attribute name, as older Query clients send an empty list, to mean none', async () => {
    const QueueUrl = await newQueue()
    await client.sendMessage({ QueueUrl, MessageBody: 'm', MessageAttributes: { a: { DataType: 'String', StringValue: 'v' } } })
    const { Messages } = await client.receiveMessage({ QueueUrl, AttributeNames: ['' as never], MessageAttributeNames: [''] })
    expect(Messages).toHaveLength(1)
    expect(Messages![0]).not.toHaveProperty('Attributes')
    expect(Messages![0]).not.toHaveProperty('MessageAttributes')
    expect((await client.getQueueAttributes({ QueueUrl, AttributeNames: ['' as never] })).Attributes).toBeUndefined()
  })

  it('reports KmsDataKeyReusePeriodSeconds only while a KmsMasterKeyId is set', async () => {
    const QueueUrl = await newQueue()
    const all = async () => (await client.getQueueAttributes({ QueueUrl, AttributeNames: ['All'] })).Attributes!
    await client.setQueueAttributes({ QueueUrl, Attributes: { KmsDataKeyReusePeriodSeconds: '600' } })
    expect(await all()).not.toHaveProperty('KmsDataKeyReusePeriodSeconds')
    await client.setQueueAttributes({ QueueUrl, Attributes: { KmsMasterKeyId: 'alias/aws/sqs' } })
    expect(await all()).toMatchObject({ KmsMasterKeyId: 'alias/aws/sqs', KmsDataKeyReusePeriodSeconds: '600' })
    await client.setQueueAttributes({ QueueUrl, Attributes: { KmsMasterKeyId: '' } })
    const after = await all()
    expect(after).not.toHaveProperty('KmsMasterKeyId')
    expect(after).not.toHaveProperty('KmsDataKeyReusePeriodSeconds')
  })
})
