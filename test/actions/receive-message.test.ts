import type { Message, SQS } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { clients, type Dialect, uniqueQueueName } from '../support/clients.js'
import { queueDoesNotExist } from '../support/errors.js'
import { jsonRequest, parseXml, queryRequest } from '../support/raw.js'

const systemNames = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'AWSTraceHeader', 'MessageGroupId']
const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1'

/**
 * ReceiveMessage naming system attributes in `MessageSystemAttributeNames`. 3.445.0 predates that member, so over
 * Query the `MessageSystemAttributeName.N` fields are sent by hand and the XML read back.
 */
async function receiveNamingSystemAttributes(client: SQS, dialect: Dialect, QueueUrl: string, names: string[]) {
  if (dialect === 'json') {
    const { Messages } = await client.receiveMessage({ QueueUrl, MessageSystemAttributeNames: names as never, VisibilityTimeout: 0 })
    return Messages![0]!.Attributes ?? {}
  }
  const fields = Object.fromEntries(names.map((name, i) => [`MessageSystemAttributeName.${i + 1}`, name]))
  const { text } = await queryRequest({ Action: 'ReceiveMessage', QueueUrl, VisibilityTimeout: '0', ...fields })
  const message = parseXml(text).ReceiveMessageResponse.ReceiveMessageResult.Message
  const attributes = [message.Attribute ?? []].flat() as Array<{ Name: string; Value: string }>
  return Object.fromEntries(attributes.map((a) => [a.Name, a.Value]))
}

describe.each(clients)('ReceiveMessage over $name', ({ client, dialect }) => {
  const newQueue = async (Attributes: Record<string, string> = {}) =>
    (await client.createQueue({ QueueName: uniqueQueueName('receive'), Attributes })).QueueUrl!
  const invalidParameter = (message: string) => ({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 }, message })
  /** A queue holding one message with a trace header, a group id and four attributes. */
  async function queueWithRichMessage() {
    const QueueUrl = await newQueue()
    await client.sendMessage({
      QueueUrl, MessageBody: 'rich', MessageGroupId: 'tenant-1',
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } },
      MessageAttributes: {
        Foo: { DataType: 'String', StringValue: 'Bar' },
        'order.id': { DataType: 'Number', StringValue: '42' },
        'order.kind': { DataType: 'String', StringValue: 'retail' },
        other: { DataType: 'Binary', BinaryValue: new Uint8Array([7]) },
      },
    })
    return QueueUrl
  }
  const receiveAttributes = async (QueueUrl: string, MessageAttributeNames: string[]) => {
    const { Messages } = await client.receiveMessage({ QueueUrl, MessageAttributeNames, VisibilityTimeout: 0 })
    return Messages![0]!
  }

  it('returns one message unless MaxNumberOfMessages asks for more, and never more than 10', async () => {
    const QueueUrl = await newQueue()
    for (let i = 0; i < 2; i++) await client.sendMessageBatch({ QueueUrl, Entries: Array.from({ length: 8 }, (_, j) => ({ Id: `e${j}`, MessageBody: `${i}-${j}` })) })
    expect((await client.receiveMessage({ QueueUrl, VisibilityTimeout: 60 })).Messages).toHaveLength(1)
    expect((await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 })).Messages).toHaveLength(10)
    expect((await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 })).Messages).toHaveLength(5)
  })

  it('rejects MaxNumberOfMessages outside 1–10', async () => {
    const QueueUrl = await newQueue()
    await expect(client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 11 }))
      .rejects.toMatchObject(invalidParameter('Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.'))
    await expect(client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 0 }))
      .rejects.toMatchObject(invalidParameter('Value 0 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.'))
  })

  it('rejects WaitTimeSeconds outside 0–20', async () => {
    const QueueUrl = await newQueue()
    await expect(client.receiveMessage({ QueueUrl, WaitTimeSeconds: 21 }))
      .rejects.toMatchObject(invalidParameter('Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.'))
    await expect(client.receiveMessage({ QueueUrl, WaitTimeSeconds: -1 })).rejects.toMatchObject({ name: 'InvalidParameterValue' })
  })

  it('rejects a VisibilityTimeout over 12 hours', async () => {
    const QueueUrl = await newQueue()
    await expect(client.receiveMessage({ QueueUrl, VisibilityTimeout: 43_201 })).rejects.toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } })
  })

  it('hides a received message for the queue’s VisibilityTimeout', async () => {
    const QueueUrl = await newQueue()
    await client.sendMessage({ QueueUrl, MessageBody: 'once' })
    expect((await client.receiveMessage({ QueueUrl })).Messages).toHaveLength(1)
    expect((await client.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
  })

  it('uses the request’s VisibilityTimeout instead: 0 leaves the message receivable at once', async () => {
    const QueueUrl = await newQueue({ VisibilityTimeout: '600' })
    await client.sendMessage({ QueueUrl, MessageBody: 'again' })
    await client.receiveMessage({ QueueUrl, VisibilityTimeout: 0 })
    const { Messages } = await client.receiveMessage({ QueueUrl, AttributeNames: ['ApproximateReceiveCount' as never] })
    expect(Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2')
  })

  it('returns as soon as a message arrives during a long poll', async () => {
    const QueueUrl = await newQueue()
    const started = Date.now()
    const polling = client.receiveMessage({ QueueUrl, WaitTimeSeconds: 10 })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await client.sendMessage({ QueueUrl, MessageBody: 'wake up' })
    const { Messages } = await polling
    expect(Messages?.[0]?.Body).toBe('wake up')
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('waits the full WaitTimeSeconds when nothing arrives', async () => {
    const QueueUrl = await newQueue()
    const started = Date.now()
    expect((await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 1 })).Messages).toBeUndefined()
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
  })

  it('long-polls for the queue’s ReceiveMessageWaitTimeSeconds when the request gives no wait', async () => {
    const QueueUrl = await newQueue({ ReceiveMessageWaitTimeSeconds: '1' })
    let started = Date.now()
    expect((await client.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    started = Date.now()
    expect((await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 0 })).Messages).toBeUndefined()
    expect(Date.now() - started).toBeLessThan(900)
  })

  it('returns every system attribute for AttributeNames All', async () => {
    const QueueUrl = await queueWithRichMessage()
    const before = Date.now()
    const { Messages } = await client.receiveMessage({ QueueUrl, AttributeNames: ['All'] })
    const attributes = Messages![0]!.Attributes!
    expect(Object.keys(attributes).sort()).toEqual([...systemNames].sort())
    expect(attributes).toMatchObject({ ApproximateReceiveCount: '1', AWSTraceHeader: trace, MessageGroupId: 'tenant-1' })
    expect(attributes.SenderId).toMatch(/\S/)
    expect(Number(attributes.SentTimestamp)).toBeLessThanOrEqual(before)
    expect(Number(attributes.SentTimestamp)).toBeGreaterThan(before - 60_000)
    expect(Number(attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(Number(attributes.SentTimestamp))
  })

  it('returns only the system attributes named in AttributeNames', async () => {
    const QueueUrl = await queueWithRichMessage()
    for (const name of systemNames) {
      const { Messages } = await client.receiveMessage({ QueueUrl, AttributeNames: [name as never], VisibilityTimeout: 0 })
      expect(Object.keys(Messages![0]!.Attributes!)).toEqual([name])
    }
  })

  it('returns only the system attributes named in MessageSystemAttributeNames', async () => {
    const QueueUrl = await queueWithRichMessage()
    for (const name of systemNames) {
      expect(Object.keys(await receiveNamingSystemAttributes(client, dialect, QueueUrl, [name]))).toEqual([name])
    }
    expect(Object.keys(await receiveNamingSystemAttributes(client, dialect, QueueUrl, ['All'])).sort()).toEqual([...systemNames].sort())
  })

  it('keeps ApproximateFirstReceiveTimestamp across receives while the count grows', async () => {
    const QueueUrl = await newQueue()
    await client.sendMessage({ QueueUrl, MessageBody: 'm' })
    const first = (await client.receiveMessage({ QueueUrl, AttributeNames: ['All'], VisibilityTimeout: 0 })).Messages![0]!.Attributes!
    const second = (await client.receiveMessage({ QueueUrl, AttributeNames: ['All'], VisibilityTimeout: 0 })).Messages![0]!.Attributes!
    expect(second.ApproximateFirstReceiveTimestamp).toBe(first.ApproximateFirstReceiveTimestamp)
    expect([first.ApproximateReceiveCount, second.ApproximateReceiveCount]).toEqual(['1', '2'])
  })

  it('answers InvalidAttributeName for an unknown system attribute name', async () => {
    const QueueUrl = await newQueue()
    await expect(client.receiveMessage({ QueueUrl, AttributeNames: ['Colour' as never] }))
      .rejects.toMatchObject({ name: 'InvalidAttributeName', $metadata: { httpStatusCode: 400 } })
  })

  it('returns no message attributes and no MD5 of them unless asked', async () => {
    const QueueUrl = await queueWithRichMessage()
    const message = await receiveAttributes(QueueUrl, [])
    expect(message.MessageAttributes).toBeUndefined()
    expect(message.MD5OfMessageAttributes).toBeUndefined()
    expect(message.Attributes).toBeUndefined()
  })

  it('returns every message attribute for All and for .*', async () => {
    const QueueUrl = await queueWithRichMessage()
    for (const filter of ['All', '.*']) {
      const message = await receiveAttributes(QueueUrl, [filter])
      expect(Object.keys(message.MessageAttributes!).sort()).toEqual(['Foo', 'order.id', 'order.kind', 'other'])
    }
  })

  it('returns the attributes named, with the MD5 of what is returned', async () => {
    const QueueUrl = await queueWithRichMessage()
    const message = await receiveAttributes(QueueUrl, ['Foo', 'absent'])
    expect(message.MessageAttributes).toEqual({ Foo: { DataType: 'String', StringValue: 'Bar' } })
    expect(message.MD5OfMessageAttributes).toBe('ae7155c6026991b6d54b11589678bf9c')
  })

  it('returns the attributes under a prefix.* filter', async () => {
    const QueueUrl = await queueWithRichMessage()
    const message = await receiveAttributes(QueueUrl, ['order.*'])
    expect(Object.keys(message.MessageAttributes!).sort()).toEqual(['order.id', 'order.kind'])
  })

  it('returns neither attributes nor their MD5 when no attribute matches', async () => {
    const QueueUrl = await queueWithRichMessage()
    const message = await receiveAttributes(QueueUrl, ['nothing.*'])
    expect(message.MessageAttributes).toBeUndefined()
    expect(message.MD5OfMessageAttributes).toBeUndefined()
  })

  it('hands the same message to one of two concurrent receivers only', async () => {
    const QueueUrl = await newQueue()
    await client.sendMessage({ QueueUrl, MessageBody: 'contended' })
    const results = await Promise.all(Array.from({ length: 4 }, () => client.receiveMessage({ QueueUrl })))
    expect(results.flatMap((r) => r.Messages ?? [] as Message[])).toHaveLength(1)
  })

  it('answers QueueDoesNotExist for a missing queue', async () => {
    const QueueUrl = await newQueue()
    await client.deleteQueue({ QueueUrl })
    await expect(client.receiveMessage({ QueueUrl })).rejects.toMatchObject(queueDoesNotExist(dialect))
  })
})

describe('ReceiveMessage on the wire', () => {
  it('sends no Messages member at all for an empty receive (JSON)', async () => {
    const QueueUrl = (await clients[0]!.client.createQueue({ QueueName: uniqueQueueName('receive') })).QueueUrl
    const response = await jsonRequest('ReceiveMessage', { QueueUrl })
    expect(response.status).toBe(200)
    expect(JSON.parse(response.text)).toEqual({})
  })

  it('sends an empty ReceiveMessageResult for an empty receive (Query)', async () => {
    const QueueUrl = (await clients[0]!.client.createQueue({ QueueName: uniqueQueueName('receive') })).QueueUrl!
    const response = await queryRequest({ Action: 'ReceiveMessage', QueueUrl })
    expect(response.status).toBe(200)
    expect(response.text).toContain('<ReceiveMessageResult/>')
  })
})
