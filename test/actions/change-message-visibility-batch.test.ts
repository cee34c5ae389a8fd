import { describe, expect, it } from 'vitest'
import { clients, sqsError, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('ChangeMessageVisibilityBatch over $name', ({ client, dialect }) => {
  async function receivedMessages() {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('cmvb') })
    await client.sendMessageBatch({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }] })
    const { Messages } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 })
    expect(Messages).toHaveLength(2)
    return { QueueUrl: QueueUrl!, handles: Messages!.map((m) => m.ReceiptHandle!) }
  }

  it('changes each entry and reports each by Id', async () => {
    const { QueueUrl, handles } = await receivedMessages()
    const result = await client.changeMessageVisibilityBatch({
      QueueUrl, Entries: handles.map((ReceiptHandle, i) => ({ Id: `c${i}`, ReceiptHandle, VisibilityTimeout: 0 })),
    })
    expect(result.Successful!.map((s) => s.Id).sort()).toEqual(['c0', 'c1'])
    expect((await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })).Messages).toHaveLength(2)
  })

  it('fails an entry for a deleted message alone, with HTTP 200', async () => {
    const { QueueUrl, handles } = await receivedMessages()
    await client.deleteMessage({ QueueUrl, ReceiptHandle: handles[0] })
    const result = await client.changeMessageVisibilityBatch({
      QueueUrl,
      Entries: [{ Id: 'gone', ReceiptHandle: handles[0], VisibilityTimeout: 0 }, { Id: 'here', ReceiptHandle: handles[1], VisibilityTimeout: 0 }],
    })
    expect(result.$metadata.httpStatusCode).toBe(200)
    expect(result.Successful!.map((s) => s.Id)).toEqual(['here'])
    expect(result.Failed).toEqual([{
      Id: 'gone', SenderFault: true, Code: 'InvalidParameterValue',
      Message: `Value ${handles[0]} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    }])
  })

  it('fails a malformed handle alone with ReceiptHandleIsInvalid', async () => {
    const { QueueUrl, handles } = await receivedMessages()
    const result = await client.changeMessageVisibilityBatch({
      QueueUrl, Entries: [{ Id: 'bad', ReceiptHandle: 'garbage', VisibilityTimeout: 0 }, { Id: 'ok', ReceiptHandle: handles[0], VisibilityTimeout: 5 }],
    })
    expect(result.Successful!.map((s) => s.Id)).toEqual(['ok'])
    expect(result.Failed).toMatchObject([{ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid' }])
  })

  const batchErrors = [
    { rule: 'answers EmptyBatchRequest for no entries', entries: () => [], error: { name: 'EmptyBatchRequest', status: 400 } },
    { rule: 'answers TooManyEntriesInBatchRequest for 11 entries',
      entries: (ReceiptHandle: string) => Array.from({ length: 11 }, (_, i) => ({ Id: `c${i}`, ReceiptHandle, VisibilityTimeout: 1 })),
      error: { name: 'TooManyEntriesInBatchRequest', status: 400 } },
    { rule: 'answers BatchEntryIdsNotDistinct for a repeated id',
      entries: (ReceiptHandle: string) => [{ Id: 'x', ReceiptHandle, VisibilityTimeout: 1 }, { Id: 'x', ReceiptHandle, VisibilityTimeout: 2 }],
      error: { name: 'BatchEntryIdsNotDistinct', status: 400 } },
  ]

  it.each(batchErrors)('$rule', async ({ entries, error }) => {
    const { QueueUrl, handles } = await receivedMessages()
    await expect(client.changeMessageVisibilityBatch({ QueueUrl, Entries: entries(handles[0]!) })).rejects.toMatchObject(sqsError(dialect, error))
  })
})
