import { describe, expect, it } from 'vitest'
import { accountId, clients, endpoint, uniqueQueueName } from '../support/clients.js'
import { queueDoesNotExist } from '../support/errors.js'

describe.each(clients)('GetQueueUrl over $name', ({ client, dialect }) => {
  const doesNotExist = queueDoesNotExist(dialect, { modelledInQuery: true })

  it('returns the URL of a queue by name', async () => {
    const name = uniqueQueueName('url')
    await client.createQueue({ QueueName: name })
    expect((await client.getQueueUrl({ QueueName: name })).QueueUrl).toBe(`${endpoint}/${accountId}/${name}`)
  })

  it('answers QueueDoesNotExist for an unknown name', async () => {
    await expect(client.getQueueUrl({ QueueName: uniqueQueueName('none') })).rejects.toMatchObject(doesNotExist)
  })

  it('matches names case-sensitively', async () => {
    const name = uniqueQueueName('url')
    await client.createQueue({ QueueName: name })
    await expect(client.getQueueUrl({ QueueName: name.toUpperCase() })).rejects.toMatchObject(doesNotExist)
  })

  it('answers QueueDoesNotExist for a deleted queue', async () => {
    const name = uniqueQueueName('url')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    await client.deleteQueue({ QueueUrl })
    await expect(client.getQueueUrl({ QueueName: name })).rejects.toMatchObject(doesNotExist)
  })

  it('accepts the caller’s own account as QueueOwnerAWSAccountId', async () => {
    const name = uniqueQueueName('url')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    expect((await client.getQueueUrl({ QueueName: name, QueueOwnerAWSAccountId: accountId })).QueueUrl).toBe(QueueUrl)
  })

  it('does not show another account’s queue of that name', async () => {
    const name = uniqueQueueName('url')
    await client.createQueue({ QueueName: name })
    await expect(client.getQueueUrl({ QueueName: name, QueueOwnerAWSAccountId: '123456789012' })).rejects.toMatchObject(doesNotExist)
  })
})
