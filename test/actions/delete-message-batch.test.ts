import { describe, expect, it } from 'vitest'
import { clients, sqsError, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('DeleteMessageBatch over $name', ({ client, dialect }) => {
  async function receivedMessages(count: number) {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('delbatch') })
    await client.sendMessageBatch({ QueueUrl, Entries: Array.from({ length: count }, (_, i) => ({ Id: `s${i}`, MessageBody: `m${i}` })) })
    const handles: string[] = []
    while (handles.length < count) {
      const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 })
      handles.push(...Messages.map((m) => m.ReceiptHandle!))
    }
    return { QueueUrl: QueueUrl!, handles }
  }

  it('deletes every entry and reports each by Id', async () => {
    const { QueueUrl, handles } = await receivedMessages(3)
    const result = await client.deleteMessageBatch({ QueueUrl, Entries: handles.map((ReceiptHandle, i) => ({ Id: `d${i}`, ReceiptHandle })) })
    expect(result.Successful!.map((s) => s.Id).sort()).toEqual(['d0', 'd1', 'd2'])
    expect(result.Failed ?? []).toEqual([])
    expect((await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })).Messages).toBeUndefined()
  })

  it('fails a malformed handle alone, with HTTP 200', async () => {
    const { QueueUrl, handles } = await receivedMessages(1)
    const result = await client.deleteMessageBatch({ QueueUrl, Entries: [{ Id: 'good', ReceiptHandle: handles[0] }, { Id: 'bad', ReceiptHandle: 'garbage' }] })
    expect(result.$metadata.httpStatusCode).toBe(200)
    expect(result.Successful!.map((s) => s.Id)).toEqual(['good'])
    expect(result.Failed).toEqual([{
      Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "garbage" is not a valid receipt handle.',
    }])
  })

  const batchErrors = [
    { rule: 'answers EmptyBatchRequest for no entries', entries: () => [],
      error: { name: 'EmptyBatchRequest', status: 400, message: 'There should be at least one DeleteMessageBatchRequestEntry in the request.' } },
    { rule: 'answers TooManyEntriesInBatchRequest for 11 entries', entries: (ReceiptHandle: string) => Array.from({ length: 11 }, (_, i) => ({ Id: `d${i}`, ReceiptHandle })),
      error: { name: 'TooManyEntriesInBatchRequest', status: 400, message: 'Maximum number of entries per request are 10. You have sent 11.' } },
    { rule: 'answers InvalidBatchEntryId for an id with a space', entries: (ReceiptHandle: string) => [{ Id: 'no good', ReceiptHandle }],
      error: { name: 'InvalidBatchEntryId', status: 400 } },
    { rule: 'answers BatchEntryIdsNotDistinct for a repeated id', entries: (ReceiptHandle: string) => [{ Id: 'twice', ReceiptHandle }, { Id: 'twice', ReceiptHandle }],
      error: { name: 'BatchEntryIdsNotDistinct', status: 400, message: 'Id twice repeated.' } },
  ]

  it.each(batchErrors)('$rule, deleting nothing', async ({ entries, error }) => {
    const { QueueUrl, handles } = await receivedMessages(1)
    await expect(client.deleteMessageBatch({ QueueUrl, Entries: entries(handles[0]!) })).rejects.toMatchObject(sqsError(dialect, error))
    await client.changeMessageVisibility({ QueueUrl, ReceiptHandle: handles[0], VisibilityTimeout: 0 })
    expect((await client.receiveMessage({ QueueUrl })).Messages).toHaveLength(1)
  })
})
