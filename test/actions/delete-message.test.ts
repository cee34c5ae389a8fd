import { describe, expect, it } from 'vitest'
import { clients, sqsError, uniqueQueueName } from '../support/clients.js'
import { queueDoesNotExist } from '../support/errors.js'

describe.each(clients)('DeleteMessage over $name', ({ client, dialect }) => {
  /** A queue with one message, received once with VisibilityTimeout 0 so that it stays receivable. */
  async function receivedMessage() {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('delete') })
    await client.sendMessage({ QueueUrl, MessageBody: 'to delete' })
    const { Messages } = await client.receiveMessage({ QueueUrl, VisibilityTimeout: 0 })
    return { QueueUrl: QueueUrl!, ReceiptHandle: Messages![0]!.ReceiptHandle! }
  }
  const invalidHandle = (handle: string) => sqsError(dialect, {
    name: 'ReceiptHandleIsInvalid', status: 404, message: `The input receipt handle "${handle}" is not a valid receipt handle.`,
  })

  it('removes the message for good', async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage()
    await client.deleteMessage({ QueueUrl, ReceiptHandle })
    expect((await client.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
  })

  it('still deletes with a stale handle from an earlier receive', async () => {
    const { QueueUrl, ReceiptHandle: stale } = await receivedMessage()
    const { Messages } = await client.receiveMessage({ QueueUrl, VisibilityTimeout: 0 })
    expect(Messages![0]!.ReceiptHandle).not.toBe(stale)
    await client.deleteMessage({ QueueUrl, ReceiptHandle: stale })
    expect((await client.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
  })

  it('succeeds when the message was already deleted', async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage()
    await client.deleteMessage({ QueueUrl, ReceiptHandle })
    await expect(client.deleteMessage({ QueueUrl, ReceiptHandle })).resolves.toBeDefined()
  })

  it('answers ReceiptHandleIsInvalid (404) for a malformed handle', async () => {
    const { QueueUrl } = await receivedMessage()
    await expect(client.deleteMessage({ QueueUrl, ReceiptHandle: 'garbage' })).rejects.toMatchObject(invalidHandle('garbage'))
  })

  it('answers ReceiptHandleIsInvalid for a forged or altered handle', async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage()
    const altered = `${ReceiptHandle.slice(0, 30)}${ReceiptHandle[30] === 'A' ? 'B' : 'A'}${ReceiptHandle.slice(31)}`
    await expect(client.deleteMessage({ QueueUrl, ReceiptHandle: altered })).rejects.toMatchObject(invalidHandle(altered))
    expect((await client.receiveMessage({ QueueUrl })).Messages).toHaveLength(1)
  })

  it('answers ReceiptHandleIsInvalid for a handle from another queue', async () => {
    const { ReceiptHandle } = await receivedMessage()
    const other = await receivedMessage()
    await expect(client.deleteMessage({ QueueUrl: other.QueueUrl, ReceiptHandle })).rejects.toMatchObject(invalidHandle(ReceiptHandle))
  })

  it('answers QueueDoesNotExist for a missing queue', async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage()
    await client.deleteQueue({ QueueUrl })
    await expect(client.deleteMessage({ QueueUrl, ReceiptHandle })).rejects.toMatchObject(queueDoesNotExist(dialect))
  })
})
