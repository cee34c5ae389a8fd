import { describe, expect, it } from 'vitest'
import { clients, uniqueQueueName } from '../support/clients.js'
import { queueDoesNotExist } from '../support/errors.js'

describe.each(clients)('DeleteQueue over $name', ({ client, dialect }) => {
  const doesNotExist = queueDoesNotExist(dialect)

  it('removes the queue at once: every action on it answers QueueDoesNotExist', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('delete') })
    await client.sendMessage({ QueueUrl, MessageBody: 'left behind' })
    await client.deleteQueue({ QueueUrl })
    await expect(client.getQueueAttributes({ QueueUrl, AttributeNames: ['All'] })).rejects.toMatchObject(doesNotExist)
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'late' })).rejects.toMatchObject(doesNotExist)
    await expect(client.receiveMessage({ QueueUrl })).rejects.toMatchObject(doesNotExist)
  })

  it('answers QueueDoesNotExist for a queue that is already gone', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('delete') })
    await client.deleteQueue({ QueueUrl })
    await expect(client.deleteQueue({ QueueUrl })).rejects.toMatchObject(doesNotExist)
  })

  it('answers QueueDoesNotExist for a URL that names no queue', async () => {
    await expect(client.deleteQueue({ QueueUrl: 'http://localhost/000000000000/' })).rejects.toMatchObject(doesNotExist)
  })
})
