/**
 * GetQueueAttributes right after a send, receive, delete or purge through this server reflects it, as on SQS: no
 * waiting for the counts follower. No polling here: each count is asserted on the first read.
 */
import { describe, expect, it } from 'vitest'
import { clients, uniqueQueueName } from '../support/clients.js'

const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const

describe.each(clients)('counts that read your writes over $name', ({ client }) => {
  const counts = async (QueueUrl: string) => {
    const { Attributes } = await client.getQueueAttributes({ QueueUrl, AttributeNames: [...names] })
    return names.map((name) => Number(Attributes![name]))
  }

  it.each([false, true])('show each write at once (FIFO: %s)', async (fifo) => {
    const QueueUrl = (await client.createQueue({ QueueName: uniqueQueueName('ryw', fifo), Attributes: fifo ? { FifoQueue: 'true' } : {} })).QueueUrl!
    const entry = (i: number) => ({ Id: `m${i}`, MessageBody: `body ${i}`, ...(fifo ? { MessageGroupId: `g${i % 2}`, MessageDeduplicationId: `d${i}` } : {}) })
    await client.sendMessageBatch({ QueueUrl, Entries: Array.from({ length: 10 }, (_, i) => entry(i)) })
    expect(await counts(QueueUrl)).toEqual([10, 0, 0])
    if (!fifo) {
      await client.sendMessage({ QueueUrl, MessageBody: 'later', DelaySeconds: 600 })
      expect(await counts(QueueUrl)).toEqual([10, 0, 1])
    }
    const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 4, VisibilityTimeout: 600 })
    expect(Messages.length).toBeGreaterThan(0)
    expect(await counts(QueueUrl)).toEqual([10 - Messages.length, Messages.length, fifo ? 0 : 1])
    await client.deleteMessageBatch({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) })
    expect(await counts(QueueUrl)).toEqual([10 - Messages.length, 0, fifo ? 0 : 1])
    await client.purgeQueue({ QueueUrl })
    expect(await counts(QueueUrl)).toEqual([0, 0, 0])
  })

  it('show a queue emptied by processing as empty', async () => {
    const QueueUrl = (await client.createQueue({ QueueName: uniqueQueueName('ryw') })).QueueUrl!
    for (let i = 0; i < 5; i++) await client.sendMessage({ QueueUrl, MessageBody: `job ${i}` })
    for (let done = 0; done < 5;) {
      const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })
      for (const message of Messages) await client.deleteMessage({ QueueUrl, ReceiptHandle: message.ReceiptHandle! })
      done += Messages.length
    }
    expect(await counts(QueueUrl)).toEqual([0, 0, 0])
  })
})
