/**
 * Counts across server processes on one DynamoDB Local: a write answered by one server shows in GetQueueAttributes
 * through another at once (each reads the stream records the counts follower has not applied yet), well within the
 * 100 ms an SQS user could notice. Asserted on the first read, without polling.
 */
import { describe, expect, it } from 'vitest'
import { jsonClient, uniqueQueueName } from '../support/clients.js'
import { useServerProcesses } from '../support/server-process.js'

const servers = useServerProcesses(2)
const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] as const

describe('counts across processes', () => {
  it('show a write made through another server at once, standard and FIFO, including a purge', async () => {
    const main = jsonClient()
    const [writer, reader] = servers
    for (const fifo of [false, true]) {
      const { QueueUrl } = await writer!.createQueue({ QueueName: uniqueQueueName('across', fifo), Attributes: fifo ? { FifoQueue: 'true' } : {} })
      const countsThrough = async (client: typeof main) => {
        const { Attributes } = await client.getQueueAttributes({ QueueUrl, AttributeNames: [...names] })
        return names.map((name) => Number(Attributes![name]))
      }
      for (let round = 1; round <= 5; round++) {
        await writer!.sendMessage({ QueueUrl, MessageBody: `m${round}`, ...(fifo ? { MessageGroupId: `g${round}`, MessageDeduplicationId: `d${round}` } : {}) })
        expect(await countsThrough(reader!)).toEqual([round, 0])
      }
      const { Messages = [] } = await reader!.receiveMessage({ QueueUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 600 })
      expect(await countsThrough(writer!)).toEqual([5 - Messages.length, Messages.length])
      expect(await countsThrough(main)).toEqual([5 - Messages.length, Messages.length])
      await writer!.deleteMessage({ QueueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle! })
      expect(await countsThrough(reader!)).toEqual([5 - Messages.length, Messages.length - 1])
      await writer!.purgeQueue({ QueueUrl })
      expect(await countsThrough(reader!)).toEqual([0, 0])
    }
  }, 120_000)
})
