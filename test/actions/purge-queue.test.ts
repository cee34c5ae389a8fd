import { describe, expect, it } from 'vitest'
import { clients, sqsError, uniqueQueueName } from '../support/clients.js'
import { queueDoesNotExist } from '../support/errors.js'

describe.each(clients)('PurgeQueue over $name', ({ client, dialect }) => {
  it('removes visible, in-flight and delayed messages', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('purge') })
    await client.sendMessage({ QueueUrl, MessageBody: 'in flight' })
    const { Messages } = await client.receiveMessage({ QueueUrl, VisibilityTimeout: 60 })
    await client.sendMessage({ QueueUrl, MessageBody: 'visible' })
    await client.sendMessage({ QueueUrl, MessageBody: 'delayed', DelaySeconds: 1 })
    await client.purgeQueue({ QueueUrl })
    await client.changeMessageVisibility({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 }).catch(() => undefined)
    // long enough for the delayed message to have become visible, had it survived
    expect((await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 })).Messages).toBeUndefined()
  })

  it('keeps the queue usable for new messages', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('purge') })
    await client.sendMessage({ QueueUrl, MessageBody: 'old' })
    await client.purgeQueue({ QueueUrl })
    await client.sendMessage({ QueueUrl, MessageBody: 'new' })
    const { Messages } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })
    expect(Messages?.map((m) => m.Body)).toEqual(['new'])
  })

  it('answers PurgeQueueInProgress (403) to a second purge within 60 s', async () => {
    const name = uniqueQueueName('purge')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    await client.purgeQueue({ QueueUrl })
    await expect(client.purgeQueue({ QueueUrl })).rejects.toMatchObject(sqsError(dialect, {
      name: 'PurgeQueueInProgress', status: 403, message: `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
    }))
  })

  it('answers QueueDoesNotExist for a missing queue', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('purge') })
    await client.deleteQueue({ QueueUrl })
    await expect(client.purgeQueue({ QueueUrl })).rejects.toMatchObject(queueDoesNotExist(dialect, { modelledInQuery: true }))
  })
})
