import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { clients, uniqueQueueName } from '../support/clients.js'

const invalidParameter = (message: string) => ({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 }, message })

describe.each(clients)('SendMessage(Batch) on FIFO queues over $name', ({ client }) => {
  const fifoQueue = async (Attributes: Record<string, string> = {}) =>
    (await client.createQueue({ QueueName: uniqueQueueName('fsend', true), Attributes: { FifoQueue: 'true', ...Attributes } })).QueueUrl!

  it('returns a 20-digit SequenceNumber that grows within a group, and the same on receive', async () => {
    const QueueUrl = await fifoQueue()
    const sent = []
    for (const body of ['1', '2', '3']) {
      sent.push(await client.sendMessage({ QueueUrl, MessageBody: body, MessageGroupId: 'g', MessageDeduplicationId: body }))
    }
    for (const s of sent) expect(s.SequenceNumber).toMatch(/^\d{20}$/)
    expect(BigInt(sent[1]!.SequenceNumber!) > BigInt(sent[0]!.SequenceNumber!)).toBe(true)
    expect(BigInt(sent[2]!.SequenceNumber!) > BigInt(sent[1]!.SequenceNumber!)).toBe(true)
    const { Messages } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, AttributeNames: ['All'] })
    expect(Messages!.map((m) => m.Attributes!.SequenceNumber)).toEqual(sent.map((s) => s.SequenceNumber))
    expect(Messages!.map((m) => m.MessageId)).toEqual(sent.map((s) => s.MessageId))
  })

  it('answers MissingParameter without a MessageGroupId', async () => {
    const QueueUrl = await fifoQueue()
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' })).rejects.toMatchObject({
      name: 'MissingParameter', $metadata: { httpStatusCode: 400 }, message: 'The request must contain the parameter MessageGroupId.',
    })
  })

  it('checks MessageGroupId and MessageDeduplicationId characters and length', async () => {
    const QueueUrl = await fifoQueue()
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x', MessageGroupId: 'group 123', MessageDeduplicationId: 'd' })).rejects.toMatchObject(
      invalidParameter('Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.'))
    const long = 'd'.repeat(129)
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: long })).rejects.toMatchObject(
      invalidParameter(`Value ${long} for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.`))
    const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'
    const sent = await client.sendMessage({ QueueUrl, MessageBody: 'x', MessageGroupId: `g${punctuation}`, MessageDeduplicationId: `d${punctuation}` })
    expect(sent.SequenceNumber).toBeDefined()
  })

  it('rejects a per-message DelaySeconds other than 0; 0 is accepted and the queue delay applies', async () => {
    const QueueUrl = await fifoQueue({ DelaySeconds: '1' })
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 2 })).rejects.toMatchObject(
      invalidParameter('Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.'))
    await client.sendMessage({ QueueUrl, MessageBody: 'zero', MessageGroupId: 'g', MessageDeduplicationId: 'd0', DelaySeconds: 0 })
    expect((await client.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
    const { Messages } = await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 5 })
    expect(Messages?.[0]?.Body).toBe('zero')
  })

  it('needs ContentBasedDeduplication or an explicit MessageDeduplicationId', async () => {
    const QueueUrl = await fifoQueue()
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })).rejects.toMatchObject(
      invalidParameter('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly'))
  })

  it('accepts a duplicate within the window, answers with the first MessageId and SequenceNumber, and delivers once', async () => {
    const QueueUrl = await fifoQueue({ ContentBasedDeduplication: 'true' })
    const first = await client.sendMessage({ QueueUrl, MessageBody: 'same', MessageGroupId: 'g' })
    const again = await client.sendMessage({ QueueUrl, MessageBody: 'same', MessageGroupId: 'g' })
    expect(again.MessageId).toBe(first.MessageId)
    expect(again.SequenceNumber).toBe(first.SequenceNumber)
    const batch = await client.sendMessageBatch({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'same', MessageGroupId: 'g' }] })
    expect(batch.Successful![0]).toMatchObject({ MessageId: first.MessageId, SequenceNumber: first.SequenceNumber })
    const { Messages } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, AttributeNames: ['All'] })
    expect(Messages).toHaveLength(1)
    expect(Messages![0]!.Attributes!.MessageDeduplicationId).toBe(createHash('sha256').update('same').digest('hex'))
    await client.deleteMessage({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle! })
    expect((await client.sendMessage({ QueueUrl, MessageBody: 'same', MessageGroupId: 'g' })).MessageId).toBe(first.MessageId)
    expect((await client.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
  })

  it('sends a batch in order within each group', async () => {
    const QueueUrl = await fifoQueue()
    const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `m${i}`, MessageGroupId: `g${i % 2}`, MessageDeduplicationId: `d${i}` }))
    const { Successful } = await client.sendMessageBatch({ QueueUrl, Entries })
    expect(Successful).toHaveLength(10)
    const received: string[] = []
    for (let round = 0; round < 5 && received.length < 10; round++) {
      const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })
      for (const m of Messages) {
        received.push(m.Body!)
        await client.deleteMessage({ QueueUrl, ReceiptHandle: m.ReceiptHandle! })
      }
    }
    expect(received.filter((b) => Number(b.slice(1)) % 2 === 0)).toEqual(['m0', 'm2', 'm4', 'm6', 'm8'])
    expect(received.filter((b) => Number(b.slice(1)) % 2 === 1)).toEqual(['m1', 'm3', 'm5', 'm7', 'm9'])
  })
})

describe.each(clients)('FIFO-only send parameters on standard queues over $name', ({ client }) => {
  const standardQueue = async () => (await client.createQueue({ QueueName: uniqueQueueName('fstd') })).QueueUrl!

  it('rejects MessageDeduplicationId as not valid for the queue type', async () => {
    const QueueUrl = await standardQueue()
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd1' })).rejects.toMatchObject(
      invalidParameter('Value d1 for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.'))
  })

  it('accepts, validates and returns a MessageGroupId (fair queues), without a SequenceNumber', async () => {
    const QueueUrl = await standardQueue()
    const sent = await client.sendMessage({ QueueUrl, MessageBody: 'x', MessageGroupId: 'tenant-1' })
    expect(sent.SequenceNumber).toBeUndefined()
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x', MessageGroupId: 'ten ant' })).rejects.toMatchObject(
      invalidParameter('Value ten ant for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.'))
    const { Messages } = await client.receiveMessage({ QueueUrl, AttributeNames: ['All'] })
    expect(Object.keys(Messages![0]!.Attributes!).sort()).toEqual(
      ['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'MessageGroupId', 'SenderId', 'SentTimestamp'])
    expect(Messages![0]!.Attributes!.MessageGroupId).toBe('tenant-1')
  })
})
