import type { SQS } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { clients, uniqueQueueName } from '../support/clients.js'
import { queueDoesNotExist } from '../support/errors.js'

/** A dead-letter queue and `count` sources redriving to it, sources in name order. */
async function deadLetterQueueWithSources(client: SQS, count: number) {
  const prefix = uniqueQueueName('dlsq')
  const { QueueUrl: dlq } = await client.createQueue({ QueueName: `${prefix}-dlq` })
  const { Attributes } = await client.getQueueAttributes({ QueueUrl: dlq, AttributeNames: ['QueueArn'] })
  const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 5 })
  const sources: string[] = []
  for (let i = 0; i < count; i++) {
    sources.push((await client.createQueue({ QueueName: `${prefix}-src-${i}`, Attributes: { RedrivePolicy } })).QueueUrl!)
  }
  await client.createQueue({ QueueName: `${prefix}-unrelated` })
  return { dlq: dlq!, sources }
}

describe.each(clients)('ListDeadLetterSourceQueues over $name', ({ client, dialect }) => {
  it('lists the queues whose redrive policy targets the queue', async () => {
    const { dlq, sources } = await deadLetterQueueWithSources(client, 2)
    const result = await client.listDeadLetterSourceQueues({ QueueUrl: dlq })
    expect(result.queueUrls).toEqual(sources)
    expect(result.NextToken).toBeUndefined()
  })

  it('lists nothing for a queue that is no dead-letter queue', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('dlsq') })
    expect((await client.listDeadLetterSourceQueues({ QueueUrl })).queueUrls ?? []).toEqual([])
  })

  it('forgets a source whose redrive policy was removed', async () => {
    const { dlq, sources } = await deadLetterQueueWithSources(client, 2)
    await client.setQueueAttributes({ QueueUrl: sources[0], Attributes: { RedrivePolicy: '' } })
    expect((await client.listDeadLetterSourceQueues({ QueueUrl: dlq })).queueUrls).toEqual([sources[1]])
  })

  it('pages by MaxResults with a NextToken', async () => {
    const { dlq, sources } = await deadLetterQueueWithSources(client, 3)
    const first = await client.listDeadLetterSourceQueues({ QueueUrl: dlq, MaxResults: 2 })
    expect(first.queueUrls).toEqual(sources.slice(0, 2))
    const second = await client.listDeadLetterSourceQueues({ QueueUrl: dlq, MaxResults: 2, NextToken: first.NextToken })
    expect(second.queueUrls).toEqual(sources.slice(2))
    expect(second.NextToken).toBeUndefined()
  })

  it('answers QueueDoesNotExist for a missing queue', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('dlsq') })
    await client.deleteQueue({ QueueUrl })
    await expect(client.listDeadLetterSourceQueues({ QueueUrl })).rejects.toMatchObject(queueDoesNotExist(dialect, { modelledInQuery: true }))
  })
})
