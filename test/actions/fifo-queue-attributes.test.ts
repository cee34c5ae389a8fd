import { describe, expect, it } from 'vitest'
import { clients, sqsError, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('FIFO queue attributes over $name', ({ client, dialect }) => {
  const create = (QueueName: string, Attributes: Record<string, string>) => client.createQueue({ QueueName, Attributes: { FifoQueue: 'true', ...Attributes } })

  it('allows FifoThroughputLimit=perMessageGroupId only with DeduplicationScope=messageGroup', async () => {
    const invalid = sqsError(dialect, {
      name: 'InvalidAttributeValue', status: 400,
      message: 'Invalid value for the parameter FifoThroughputLimit. Reason: The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.',
    })
    await expect(create(uniqueQueueName('fattr', true), { FifoThroughputLimit: 'perMessageGroupId' })).rejects.toMatchObject(invalid)
    const { QueueUrl } = await create(uniqueQueueName('fattr', true), { FifoThroughputLimit: 'perMessageGroupId', DeduplicationScope: 'messageGroup' })
    await expect(client.setQueueAttributes({ QueueUrl, Attributes: { DeduplicationScope: 'queue' } })).rejects.toMatchObject(invalid)
    await client.setQueueAttributes({ QueueUrl, Attributes: { DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' } })
    const { Attributes } = await client.getQueueAttributes({ QueueUrl, AttributeNames: ['DeduplicationScope', 'FifoThroughputLimit'] })
    expect(Attributes).toEqual({ DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' })
  })

  it('checks the values of DeduplicationScope, FifoThroughputLimit and ContentBasedDeduplication', async () => {
    for (const [name, value] of [['DeduplicationScope', 'group'], ['FifoThroughputLimit', 'perGroup'], ['ContentBasedDeduplication', 'yes']]) {
      await expect(create(uniqueQueueName('fattr', true), { [name!]: value! })).rejects.toMatchObject(sqsError(dialect, {
        name: 'InvalidAttributeValue', status: 400, message: `Invalid value for the parameter ${name}.`,
      }))
    }
  })

  it('answers QueueNameExists when a FIFO queue of that name has another ContentBasedDeduplication', async () => {
    const name = uniqueQueueName('fattr', true)
    const { QueueUrl } = await create(name, { ContentBasedDeduplication: 'true' })
    expect((await create(name, { ContentBasedDeduplication: 'true' })).QueueUrl).toBe(QueueUrl)
    await expect(create(name, { ContentBasedDeduplication: 'false' })).rejects.toMatchObject(sqsError(dialect, {
      name: 'QueueNameExists', status: 400, message: 'A queue already exists with the same name and a different value for attribute ContentBasedDeduplication',
    }))
  })

  it('turns ContentBasedDeduplication on for later sends', async () => {
    const { QueueUrl } = await create(uniqueQueueName('fattr', true), {})
    await expect(client.sendMessage({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })).rejects.toMatchObject({ name: 'InvalidParameterValue' })
    await client.setQueueAttributes({ QueueUrl, Attributes: { ContentBasedDeduplication: 'true' } })
    const first = await client.sendMessage({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })
    expect((await client.sendMessage({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })).MessageId).toBe(first.MessageId)
  })

  it('reports approximate counts for a FIFO queue', async () => {
    const { QueueUrl } = await create(uniqueQueueName('fattr', true), { ContentBasedDeduplication: 'true' })
    for (const body of ['a', 'b', 'c']) await client.sendMessage({ QueueUrl, MessageBody: body, MessageGroupId: body === 'c' ? 'g2' : 'g1' })
    await client.receiveMessage({ QueueUrl })
    const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const
    // counts are a snapshot at most a second old
    let Attributes: Record<string, string> | undefined
    for (let i = 0; i < 30; i++) {
      Attributes = (await client.getQueueAttributes({ QueueUrl, AttributeNames: [...names] })).Attributes
      if (Attributes?.ApproximateNumberOfMessagesNotVisible === '1') break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '1', ApproximateNumberOfMessagesDelayed: '0' })
  })
})
