import { describe, expect, it } from 'vitest'
import { clients, uniqueQueueName } from '../support/clients.js'
import { queueDoesNotExist } from '../support/errors.js'

describe.each(clients)('TagQueue over $name', ({ client, dialect }) => {
  const newQueue = async () => (await client.createQueue({ QueueName: uniqueQueueName('tag'), tags: { keep: 'me' } })).QueueUrl!
  const invalidParameter = { name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } }

  it('adds tags and overwrites the value of an existing key', async () => {
    const QueueUrl = await newQueue()
    await client.tagQueue({ QueueUrl, Tags: { env: 'prod', keep: 'changed' } })
    expect((await client.listQueueTags({ QueueUrl })).Tags).toEqual({ env: 'prod', keep: 'changed' })
  })

  it('keeps tag keys case-sensitive', async () => {
    const QueueUrl = await newQueue()
    await client.tagQueue({ QueueUrl, Tags: { Keep: 'upper' } })
    expect((await client.listQueueTags({ QueueUrl })).Tags).toEqual({ keep: 'me', Keep: 'upper' })
  })

  it('rejects the reserved aws: prefix, keys over 128 and values over 256 characters', async () => {
    const QueueUrl = await newQueue()
    for (const Tags of [{ 'aws:x': 'y' }, { ['k'.repeat(129)]: 'v' }, { k: 'v'.repeat(257) }] as Record<string, string>[]) {
      await expect(client.tagQueue({ QueueUrl, Tags })).rejects.toMatchObject(invalidParameter)
    }
    await client.tagQueue({ QueueUrl, Tags: { ['k'.repeat(128)]: 'v'.repeat(256) } })
    expect((await client.listQueueTags({ QueueUrl })).Tags).toHaveProperty('k'.repeat(128), 'v'.repeat(256))
  })

  it('rejects more than 50 tags on a queue', async () => {
    const QueueUrl = await newQueue()
    const tags = (from: number, count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`t${from + i}`, 'v']))
    await client.tagQueue({ QueueUrl, Tags: tags(0, 49) })
    await expect(client.tagQueue({ QueueUrl, Tags: tags(100, 2) })).rejects.toMatchObject(invalidParameter)
    expect(Object.keys((await client.listQueueTags({ QueueUrl })).Tags!)).toHaveLength(50)
  })

  it('answers QueueDoesNotExist for a deleted queue', async () => {
    const QueueUrl = await newQueue()
    await client.deleteQueue({ QueueUrl })
    await expect(client.tagQueue({ QueueUrl, Tags: { a: 'b' } })).rejects.toMatchObject(queueDoesNotExist(dialect))
  })
})

describe.each(clients)('keys that name Object.prototype members, over $name', ({ client }) => {
  it('stores a tag named constructor and rejects an attribute named valueOf as unknown', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('proto'), tags: { constructor: 'v', toString: 'w' } })
    expect((await client.listQueueTags({ QueueUrl })).Tags).toEqual({ constructor: 'v', toString: 'w' })
    await client.tagQueue({ QueueUrl, Tags: { hasOwnProperty: 'x' } })
    expect((await client.listQueueTags({ QueueUrl })).Tags).toEqual({ constructor: 'v', toString: 'w', hasOwnProperty: 'x' })
    await expect(client.setQueueAttributes({ QueueUrl, Attributes: { valueOf: '1' } as never })).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } })
    await expect(client.createQueue({ QueueName: uniqueQueueName('proto'), Attributes: { constructor: '1' } as never })).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } })
  })
})
