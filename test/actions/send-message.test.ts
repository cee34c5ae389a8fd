import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { clients, sqsError, uniqueQueueName } from '../support/clients.js'
import { queueDoesNotExist } from '../support/errors.js'

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex')

/** The attribute vectors of docs/reference/sqs.md §b.1. */
const vectors = {
  Foo: { DataType: 'String', StringValue: 'Bar' },
  attribName1: { DataType: 'String', StringValue: 'attribValue 1' },
  customNumberTypeAttrib: { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' },
  binaryAttribute: { DataType: 'Binary', BinaryValue: new Uint8Array(Buffer.from('Hello binary world!')) },
}

describe.each(clients)('SendMessage over $name', ({ client, dialect }) => {
  const newQueue = async (Attributes: Record<string, string> = {}) =>
    (await client.createQueue({ QueueName: uniqueQueueName('send'), Attributes })).QueueUrl!
  const receiveOne = async (QueueUrl: string) => {
    const { Messages } = await client.receiveMessage({ QueueUrl, MessageAttributeNames: ['All'], AttributeNames: ['All'], VisibilityTimeout: 0 })
    expect(Messages).toHaveLength(1)
    return Messages![0]!
  }
  const invalidParameter = (message: string | RegExp) => ({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 }, message })

  it('returns a UUID MessageId and the MD5 of the body', async () => {
    const QueueUrl = await newQueue()
    const sent = await client.sendMessage({ QueueUrl, MessageBody: 'msg' })
    expect(sent.MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(sent.MD5OfMessageBody).toBe('6e2baaf3b97dbeef01c0043275f9a0e7')
    expect(sent.MD5OfMessageAttributes).toBeUndefined()
    expect(sent.SequenceNumber).toBeUndefined()
  })

  it('keeps every allowed character, including tab, CR, LF and astral code points', async () => {
    const QueueUrl = await newQueue()
    const MessageBody = 'tab\there\r\nline\rcr <&"\'> \uD7FF\uE000\uFFFD 😀 \u{10FFFF} żółć'
    const sent = await client.sendMessage({ QueueUrl, MessageBody })
    expect(sent.MD5OfMessageBody).toBe(md5(MessageBody))
    const received = await receiveOne(QueueUrl)
    expect(received.Body).toBe(MessageBody)
    expect(received.MD5OfBody).toBe(md5(MessageBody))
  })

  it('answers InvalidMessageContents for characters outside the allowed set', async () => {
    const QueueUrl = await newQueue()
    for (const MessageBody of ['nul\u0000', 'bell\u0007', 'esc\u001b', 'non-character\uFFFF', '\uFFFE']) {
      await expect(client.sendMessage({ QueueUrl, MessageBody })).rejects.toMatchObject(sqsError(dialect, {
        name: 'InvalidMessageContents', status: 400,
        message: 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
      }))
    }
  })

  it('answers MissingParameter for an empty body', async () => {
    const QueueUrl = await newQueue()
    await expect(client.sendMessage({ QueueUrl, MessageBody: '' })).rejects.toMatchObject({
      name: 'MissingParameter', $metadata: { httpStatusCode: 400 }, message: 'The request must contain the parameter MessageBody.',
    })
  })

  it('enforces the queue’s MaximumMessageSize, counting attribute names, types and values', async () => {
    const QueueUrl = await newQueue({ MaximumMessageSize: '1024' })
    const tooLong = invalidParameter('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.')
    await client.sendMessage({ QueueUrl, MessageBody: 'x'.repeat(1024) })
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x'.repeat(1025) })).rejects.toMatchObject(tooLong)
    // two-byte characters: 513 of them are 1026 bytes
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'é'.repeat(513) })).rejects.toMatchObject(tooLong)
    // 1000 + "name" (4) + "String" (6) + 14 = 1024 fits; one more byte of value does not
    await client.sendMessage({ QueueUrl, MessageBody: 'x'.repeat(1000), MessageAttributes: { name: { DataType: 'String', StringValue: 'v'.repeat(14) } } })
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x'.repeat(1000), MessageAttributes: { name: { DataType: 'String', StringValue: 'v'.repeat(15) } } }))
      .rejects.toMatchObject(tooLong)
  })

  it('rejects a body over 1 MiB on a queue at the default maximum', async () => {
    const QueueUrl = await newQueue()
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x'.repeat(1_048_577) }))
      .rejects.toMatchObject(invalidParameter('One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.'))
  })

  it('round-trips a 1 MiB message of incompressible text', async () => {
    const QueueUrl = await newQueue()
    const MessageBody = randomBytes(786_432).toString('base64')
    expect(MessageBody).toHaveLength(1_048_576)
    const sent = await client.sendMessage({ QueueUrl, MessageBody })
    expect(sent.MD5OfMessageBody).toBe(md5(MessageBody))
    expect((await receiveOne(QueueUrl)).Body).toBe(MessageBody)
  })

  it('round-trips a message whose attributes carry almost all of its 1 MiB', async () => {
    const QueueUrl = await newQueue()
    const text = randomBytes(300_000).toString('base64')
    const bytes = randomBytes(230_000)
    const MessageAttributes = {
      text1: { DataType: 'String', StringValue: text },
      text2: { DataType: 'String.copy', StringValue: text },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array(bytes) },
    }
    const sent = await client.sendMessage({ QueueUrl, MessageBody: 'small body', MessageAttributes })
    const received = await receiveOne(QueueUrl)
    expect(received.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes)
    expect(received.MessageAttributes!.text1!.StringValue).toBe(text)
    expect(received.MessageAttributes!.text2).toMatchObject({ DataType: 'String.copy', StringValue: text })
    expect(Buffer.from(received.MessageAttributes!.blob!.BinaryValue!).equals(bytes)).toBe(true)
  })

  it('returns MD5OfMessageAttributes as SQS computes it (reference vectors)', async () => {
    const QueueUrl = await newQueue()
    const { Foo, ...three } = vectors
    const cases: Array<[Record<string, (typeof vectors)[keyof typeof vectors]>, string]> = [
      [{ Foo }, 'ae7155c6026991b6d54b11589678bf9c'],
      [{ attribName1: three.attribName1 }, '19e27d4e946b072f3f58da80d94fd778'],
      [{ customNumberTypeAttrib: three.customNumberTypeAttrib }, '9fe1b90bbd9965bdf77bac517c7d2495'],
      [{ binaryAttribute: three.binaryAttribute }, '31a92b15d92f8db860eda32aceb656c3'],
      [three, 'c932db14a896c663f83c260297d594ff'],
    ]
    for (const [MessageAttributes, expected] of cases) {
      expect((await client.sendMessage({ QueueUrl, MessageBody: 'msg', MessageAttributes })).MD5OfMessageAttributes).toBe(expected)
    }
  })

  it('round-trips String, Number and Binary attributes with custom type labels', async () => {
    const QueueUrl = await newQueue()
    const MessageAttributes = {
      s: { DataType: 'String.utf8', StringValue: 'héllo 😀' },
      n: { DataType: 'Number', StringValue: '-1.5e10' },
      f: { DataType: 'Number.float', StringValue: '3.14' },
      b: { DataType: 'Binary.gif', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
    }
    await client.sendMessage({ QueueUrl, MessageBody: 'typed', MessageAttributes })
    const received = await receiveOne(QueueUrl)
    expect(received.MessageAttributes).toMatchObject({
      s: { DataType: 'String.utf8', StringValue: 'héllo 😀' },
      n: { DataType: 'Number', StringValue: '-1.5e10' },
      f: { DataType: 'Number.float', StringValue: '3.14' },
      b: { DataType: 'Binary.gif' },
    })
    expect([...received.MessageAttributes!.b!.BinaryValue!]).toEqual([0, 1, 2, 255])
  })

  it('accepts 10 message attributes and rejects 11', async () => {
    const QueueUrl = await newQueue()
    const attributes = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]))
    await client.sendMessage({ QueueUrl, MessageBody: 'ten', MessageAttributes: attributes(10) })
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'eleven', MessageAttributes: attributes(11) }))
      .rejects.toMatchObject(invalidParameter('Number of message attributes [11] exceeds the allowed maximum [10].'))
  })

  it('rejects attribute names SQS does not allow', async () => {
    const QueueUrl = await newQueue()
    for (const name of ['has space', '.leading', 'trailing.', 'double..dot', 'AWS.reserved', 'amazon.Reserved', 'x'.repeat(257)]) {
      await expect(client.sendMessage({ QueueUrl, MessageBody: 'm', MessageAttributes: { [name]: { DataType: 'String', StringValue: 'v' } } }))
        .rejects.toMatchObject(invalidParameter(new RegExp(`^Message \\(user\\) attribute name '${name.replace(/\./g, '\\.')}' is invalid\\.`)))
    }
    await client.sendMessage({ QueueUrl, MessageBody: 'm', MessageAttributes: { 'ok_name-1.x': { DataType: 'String', StringValue: 'v' }, ['y'.repeat(256)]: { DataType: 'String', StringValue: 'v' } } })
  })

  it('rejects unknown types, empty values and numbers SQS cannot hold', async () => {
    const QueueUrl = await newQueue()
    const cases: Array<[{ DataType: string; StringValue?: string; BinaryValue?: Uint8Array }, string]> = [
      [{ DataType: 'Text', StringValue: 'v' }, "The type of message (user) attribute 'a' is invalid. You must use only the following supported type prefixes: Binary, Number, String."],
      [{ DataType: 'String', StringValue: '' }, "Message (user) attribute 'a' must contain a non-empty value of type 'String'."],
      [{ DataType: 'Binary', BinaryValue: new Uint8Array() }, "Message (user) attribute 'a' must contain a non-empty value of type 'Binary'."],
      [{ DataType: 'Number', StringValue: 'twelve' }, "Could not cast message attribute 'a' value to number."],
      [{ DataType: 'Number', StringValue: '1'.repeat(39) }, "Could not cast message attribute 'a' value to number."],
    ]
    for (const [value, message] of cases) {
      await expect(client.sendMessage({ QueueUrl, MessageBody: 'm', MessageAttributes: { a: value } })).rejects.toMatchObject(invalidParameter(message))
    }
  })

  it('rejects invalid characters in a String attribute as InvalidParameterValue', async () => {
    const QueueUrl = await newQueue()
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'm', MessageAttributes: { a: { DataType: 'String', StringValue: 'bad\u0001' } } }))
      .rejects.toMatchObject(invalidParameter(/^Invalid characters found\./))
  })

  it('carries an AWSTraceHeader system attribute, with its MD5', async () => {
    const QueueUrl = await newQueue()
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'
    const sent = await client.sendMessage({ QueueUrl, MessageBody: 'traced', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } } })
    const expected = createHash('md5')
    for (const part of ['AWSTraceHeader', 'String']) expected.update(Buffer.concat([Buffer.of(0, 0, 0, part.length), Buffer.from(part)]))
    expected.update(Buffer.of(1)).update(Buffer.concat([Buffer.alloc(4), Buffer.from(trace)]).fill(trace.length, 3, 4))
    expect(sent.MD5OfMessageSystemAttributes).toBe(expected.digest('hex'))
    expect((await receiveOne(QueueUrl)).Attributes!.AWSTraceHeader).toBe(trace)
  })

  it('rejects any other message system attribute', async () => {
    const QueueUrl = await newQueue()
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'm', MessageSystemAttributes: { SenderId: { DataType: 'String', StringValue: 'me' } } as never }))
      .rejects.toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } })
  })

  it('accepts a MessageGroupId on a standard queue and returns it on receive (fair queues)', async () => {
    const QueueUrl = await newQueue()
    await client.sendMessage({ QueueUrl, MessageBody: 'tenant', MessageGroupId: 'tenant-7' })
    const received = await receiveOne(QueueUrl)
    expect(received.Attributes!.MessageGroupId).toBe('tenant-7')
    expect(received.Attributes).not.toHaveProperty('SequenceNumber')
  })

  it('holds a message back for its DelaySeconds', async () => {
    const QueueUrl = await newQueue()
    const started = Date.now()
    await client.sendMessage({ QueueUrl, MessageBody: 'later', DelaySeconds: 1 })
    expect((await client.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
    const { Messages } = await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 5 })
    expect(Messages?.[0]?.Body).toBe('later')
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
  })

  it('uses the queue’s DelaySeconds unless the message gives its own', async () => {
    const QueueUrl = await newQueue({ DelaySeconds: '900' })
    await client.sendMessage({ QueueUrl, MessageBody: 'queue delay' })
    await client.sendMessage({ QueueUrl, MessageBody: 'no delay', DelaySeconds: 0 })
    const { Messages } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })
    expect(Messages?.map((m) => m.Body)).toEqual(['no delay'])
  })

  it('rejects DelaySeconds over 900', async () => {
    const QueueUrl = await newQueue()
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'm', DelaySeconds: 901 })).rejects.toMatchObject(invalidParameter(/DelaySeconds/))
  })

  it('answers QueueDoesNotExist for a missing queue', async () => {
    const QueueUrl = await newQueue()
    await client.deleteQueue({ QueueUrl })
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'm' })).rejects.toMatchObject(queueDoesNotExist(dialect))
  })
})
