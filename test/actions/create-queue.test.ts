import { describe, expect, it } from 'vitest'
import { accountId, clients, endpoint, sqsError, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('CreateQueue over $name', ({ client, dialect }) => {
  it('returns the queue URL built from the request host', async () => {
    const name = uniqueQueueName('create')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    expect(QueueUrl).toBe(`${endpoint}/${accountId}/${name}`)
  })

  it('returns the same URL for an identical or subset create', async () => {
    const name = uniqueQueueName('create')
    const first = await client.createQueue({ QueueName: name, Attributes: { VisibilityTimeout: '45', DelaySeconds: '5' } })
    const again = await client.createQueue({ QueueName: name, Attributes: { VisibilityTimeout: '45' } })
    const bare = await client.createQueue({ QueueName: name })
    expect(again.QueueUrl).toBe(first.QueueUrl)
    expect(bare.QueueUrl).toBe(first.QueueUrl)
  })

  it('answers QueueNameExists when an attribute differs', async () => {
    const name = uniqueQueueName('create')
    await client.createQueue({ QueueName: name, Attributes: { DelaySeconds: '5' } })
    await expect(client.createQueue({ QueueName: name, Attributes: { DelaySeconds: '6' } })).rejects.toMatchObject(sqsError(dialect, {
      name: 'QueueNameExists',
      status: 400,
      message: 'A queue already exists with the same name and a different value for attribute DelaySeconds',
    }))
  })

  it('rejects a name with characters SQS does not allow', async () => {
    await expect(client.createQueue({ QueueName: 'bad name!' })).rejects.toMatchObject({
      $metadata: { httpStatusCode: 400 },
      message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    })
  })
})
