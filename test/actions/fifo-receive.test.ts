import { describe, expect, it } from 'vitest'
import { clients, uniqueQueueName } from '../support/clients.js'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(clients)('ReceiveMessage on FIFO queues over $name', ({ client }) => {
  const fifoQueue = async (Attributes: Record<string, string> = {}) =>
    (await client.createQueue({ QueueName: uniqueQueueName('frecv', true), Attributes: { FifoQueue: 'true', ...Attributes } })).QueueUrl!
  const send = (QueueUrl: string, MessageBody: string, MessageGroupId: string) =>
    client.sendMessage({ QueueUrl, MessageBody, MessageGroupId, MessageDeduplicationId: `${MessageGroupId}/${MessageBody}` })
  const bodies = (messages: Array<{ Body?: string }> = []) => messages.map((m) => m.Body)

  it('fills a receive from the oldest group first, then the next (docs/reference/sqs.md §b.2)', async () => {
    const QueueUrl = await fifoQueue()
    for (const [body, group] of [['g1-m1', 'g1'], ['g2-m1', 'g2'], ['g2-m2', 'g2'], ['g3-m1', 'g3'], ['g1-m2', 'g1']]) {
      await send(QueueUrl, body!, group!)
      await pause(2) // distinct send times
    }
    expect(bodies((await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 3 })).Messages)).toEqual(['g1-m1', 'g1-m2', 'g2-m1'])
    expect(bodies((await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })).Messages)).toEqual(['g3-m1'])
  })

  it('frees the group at once after a receive with VisibilityTimeout=0', async () => {
    const QueueUrl = await fifoQueue()
    await send(QueueUrl, 'a', 'g')
    await send(QueueUrl, 'b', 'g')
    expect(bodies((await client.receiveMessage({ QueueUrl, VisibilityTimeout: 0 })).Messages)).toEqual(['a'])
    const { Messages } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, AttributeNames: ['All'] })
    expect(bodies(Messages)).toEqual(['a', 'b'])
    expect(Messages!.map((m) => m.Attributes!.ApproximateReceiveCount)).toEqual(['2', '1'])
  })

  it('holds a group while one of its messages is in flight', async () => {
    const QueueUrl = await fifoQueue()
    await send(QueueUrl, 'a', 'g')
    await send(QueueUrl, 'b', 'g')
    expect(bodies((await client.receiveMessage({ QueueUrl })).Messages)).toEqual(['a'])
    expect((await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })).Messages).toBeUndefined()
  })

  it('returns exactly the FIFO system attributes for All', async () => {
    const QueueUrl = await fifoQueue()
    await send(QueueUrl, 'a', 'g')
    const { Messages } = await client.receiveMessage({ QueueUrl, AttributeNames: ['All'] })
    expect(Object.keys(Messages![0]!.Attributes!).sort()).toEqual([
      'ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'MessageDeduplicationId', 'MessageGroupId', 'SenderId',
      'SentTimestamp', 'SequenceNumber',
    ])
    expect(Messages![0]!.Attributes).toMatchObject({ MessageGroupId: 'g', MessageDeduplicationId: 'g/a', ApproximateReceiveCount: '1' })
  })

  it('gives a retried receive with the same ReceiveRequestAttemptId the same messages and receipt handles', async () => {
    const QueueUrl = await fifoQueue()
    await send(QueueUrl, 'a', 'g')
    await send(QueueUrl, 'b', 'g')
    const first = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, ReceiveRequestAttemptId: 'try-1' })
    const retry = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, ReceiveRequestAttemptId: 'try-1' })
    expect(bodies(retry.Messages)).toEqual(['a', 'b'])
    expect(retry.Messages!.map((m) => m.ReceiptHandle)).toEqual(first.Messages!.map((m) => m.ReceiptHandle))
    expect((await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, ReceiveRequestAttemptId: 'try-2' })).Messages).toBeUndefined()
  })

  it('long-polls a FIFO queue until a message arrives', async () => {
    const QueueUrl = await fifoQueue()
    const waiting = client.receiveMessage({ QueueUrl, WaitTimeSeconds: 10 })
    await pause(300)
    await send(QueueUrl, 'late', 'g')
    expect(bodies((await waiting).Messages)).toEqual(['late'])
  })
})
