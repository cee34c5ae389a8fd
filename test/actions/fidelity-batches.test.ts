import { describe, expect, it } from 'vitest'
import { clients, sqsError, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('Batch request rules over $name', ({ client, dialect }) => {
  const fifoQueue = async (Attributes: Record<string, string> = {}) =>
    (await client.createQueue({ QueueName: uniqueQueueName('fbatch', true), Attributes: { FifoQueue: 'true', ...Attributes } })).QueueUrl!
  const invalidParameter = (message: string) => sqsError(dialect, { name: 'InvalidParameterValue', status: 400, message, modelled: false })

  it('answers EmptyBatchRequest when Entries is left out, in every batch action', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('fbatch') })
    const calls: Array<[() => Promise<unknown>, string]> = [
      [() => client.sendMessageBatch({ QueueUrl } as never), 'SendMessageBatchRequestEntry'],
      [() => client.deleteMessageBatch({ QueueUrl } as never), 'DeleteMessageBatchRequestEntry'],
      [() => client.changeMessageVisibilityBatch({ QueueUrl } as never), 'ChangeMessageVisibilityBatchRequestEntry'],
    ]
    for (const [call, entryType] of calls) {
      await expect(call()).rejects.toMatchObject(sqsError(dialect, {
        name: 'EmptyBatchRequest', status: 400, message: `There should be at least one ${entryType} in the request.`,
      }))
    }
  })

  it('fails the whole request when a FIFO entry has no MessageGroupId, and sends nothing', async () => {
    const QueueUrl = await fifoQueue()
    await expect(client.sendMessageBatch({ QueueUrl, Entries: [
      { Id: 'ok', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1' },
      { Id: 'nogroup', MessageBody: 'y', MessageDeduplicationId: 'd2' },
    ] })).rejects.toMatchObject(invalidParameter('The request must contain the parameter MessageGroupId.'))
    expect((await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })).Messages).toBeUndefined()
  })

  it('fails the whole request when a FIFO entry lacks the MessageDeduplicationId its queue needs, and sends nothing', async () => {
    const QueueUrl = await fifoQueue()
    await expect(client.sendMessageBatch({ QueueUrl, Entries: [
      { Id: 'ok', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1' },
      { Id: 'nodedup', MessageBody: 'y', MessageGroupId: 'g' },
    ] })).rejects.toMatchObject(invalidParameter(
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly'))
    expect((await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })).Messages).toBeUndefined()
    const content = await fifoQueue({ ContentBasedDeduplication: 'true' })
    const { Successful } = await client.sendMessageBatch({ QueueUrl: content, Entries: [{ Id: 'a', MessageBody: 'y', MessageGroupId: 'g' }] })
    expect(Successful!.map((s) => s.Id)).toEqual(['a'])
  })
})
