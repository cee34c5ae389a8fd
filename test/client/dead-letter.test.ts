import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { consume, queue, type InvalidMessage } from '@dqs/client'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createQueueWithDlq, drain, receiveCount, spyOnCommands, sqsClient, waitUntil } from './support.js'

describe('failures, redelivery and the dead-letter queue', () => {
  it('redelivers a failing message with a backoff growing per receive, then the redrive policy moves it to the DLQ', async () => {
    const client = sqsClient()
    const { source, dlq } = await createQueueWithDlq(client, 'poison', 2, { VisibilityTimeout: '30' })
    const jobs = queue(source.url, { client, bodyFormat: 'raw' })
    const { messageId } = await jobs.send('poison')
    const { inputs } = spyOnCommands(client)
    const receiveCounts: number[] = []
    const errors: unknown[] = []
    const consumer = consume(jobs, (message) => {
      receiveCounts.push(message.approximateReceiveCount)
      throw new Error(`attempt ${message.approximateReceiveCount}`)
    }, {
      waitTimeSeconds: 1,
      retryBackoff: (approximateReceiveCount) => approximateReceiveCount - 1,
      onError: (error, context) => errors.push({ error, operation: context.operation }),
    })
    const [dead] = await receiveCount(client, dlq.url, 1)
    await consumer.stop()

    // maxReceiveCount 2: handled on the first and second receive, moved on the third
    expect(receiveCounts).toEqual([1, 2])
    expect(dead).toMatchObject({ MessageId: messageId, Body: 'poison' })
    expect(inputs('ChangeMessageVisibilityCommand').map((input) => input.VisibilityTimeout)).toEqual([0, 1])
    expect(inputs('DeleteMessageBatchCommand')).toEqual([])
    expect(errors).toEqual([
      { error: expect.objectContaining({ message: 'attempt 1' }), operation: 'handler' },
      { error: expect.objectContaining({ message: 'attempt 2' }), operation: 'handler' },
    ])
    expect(consumer.stats).toMatchObject({ failed: 2, succeeded: 0, deleted: 0 })
    expect(await drain(client, source.url)).toEqual([])
  })

  it('passes bodies that fail the schema to onInvalid, never to the handler, and leaves them for the DLQ', async () => {
    const client = sqsClient()
    const { source, dlq } = await createQueueWithDlq(client, 'invalid', 2, { VisibilityTimeout: '30' })
    const Job = z.object({ n: z.number() })
    const jobs = queue(source.url, { client, schema: Job })
    await jobs.sendMany([{ n: 1 }, { n: 2 }])
    // a producer that does not use the schema
    await client.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: '{"n":"three"}' }))
    await client.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'not json' }))
    const handled: number[] = []
    const invalid: InvalidMessage[] = []
    const consumer = consume(jobs, (message) => {
      handled.push(message.body.n)
    }, { waitTimeSeconds: 1, retryBackoff: () => 0, onInvalid: (message) => invalid.push(message) })
    const dead = await receiveCount(client, dlq.url, 2)
    await waitUntil('both valid handled', () => handled.length === 2)
    await consumer.stop()

    expect(handled.sort()).toEqual([1, 2])
    expect(dead.map((m) => m.Body).sort()).toEqual(['not json', '{"n":"three"}'])
    // each invalid message was received twice (maxReceiveCount) before the move
    expect(invalid.map((m) => `${m.body} #${m.approximateReceiveCount}`).sort())
      .toEqual(['not json #1', 'not json #2', '{"n":"three"} #1', '{"n":"three"} #2'])
    expect(invalid.find((m) => m.body === 'not json')!.error).toBeInstanceOf(SyntaxError)
    expect(invalid.find((m) => m.body !== 'not json')!.error).toMatchObject({ name: 'ZodError' })
    expect(consumer.stats).toMatchObject({ invalid: 4, succeeded: 2, deleted: 2 })
    expect(await drain(client, source.url)).toEqual([])
  })
})
