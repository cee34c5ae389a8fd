import { describe, expect, it } from 'vitest'
import { clients, uniqueQueueName } from '../support/clients.js'
import { queueDoesNotExist } from '../support/errors.js'

describe.each(clients)('ListQueueTags over $name', ({ client, dialect }) => {
  it('returns no Tags for an untagged queue', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('tags') })
    expect((await client.listQueueTags({ QueueUrl })).Tags).toBeUndefined()
  })

  it('returns no Tags once the last tag is removed', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('tags'), tags: { only: 'one' } })
    await client.untagQueue({ QueueUrl, TagKeys: ['only'] })
    expect((await client.listQueueTags({ QueueUrl })).Tags).toBeUndefined()
  })

  it('returns empty tag values as empty strings', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('tags'), tags: { flag: '' } })
    expect((await client.listQueueTags({ QueueUrl })).Tags).toEqual({ flag: '' })
  })

  it('answers QueueDoesNotExist for a missing queue', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('tags') })
    await client.deleteQueue({ QueueUrl })
    await expect(client.listQueueTags({ QueueUrl })).rejects.toMatchObject(queueDoesNotExist(dialect))
  })
})
