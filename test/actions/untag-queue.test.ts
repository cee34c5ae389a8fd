import { describe, expect, it } from 'vitest'
import { clients, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('UntagQueue over $name', ({ client }) => {
  it('removes the keys given', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('untag'), tags: { a: '1', b: '2', c: '3' } })
    await client.untagQueue({ QueueUrl, TagKeys: ['a', 'c'] })
    expect((await client.listQueueTags({ QueueUrl })).Tags).toEqual({ b: '2' })
  })

  it('ignores keys the queue does not have', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('untag'), tags: { a: '1' } })
    await client.untagQueue({ QueueUrl, TagKeys: ['missing', 'A'] })
    expect((await client.listQueueTags({ QueueUrl })).Tags).toEqual({ a: '1' })
  })
})
