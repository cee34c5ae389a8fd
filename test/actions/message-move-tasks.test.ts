/** StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask through both dialects; the server's mover moves. */
import type { SQS } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { accountId, clients, sqsError, uniqueQueueName } from '../support/clients.js'

const arnOf = (name: string) => `arn:aws:sqs:us-east-1:${accountId}:${name}`
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A source queue redriving to a dead-letter queue after one receive, and `count` messages dead-lettered there. */
async function deadLettered(client: SQS, count: number) {
  const name = uniqueQueueName('move')
  const { QueueUrl: dlq } = await client.createQueue({ QueueName: `${name}-dlq` })
  const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: arnOf(`${name}-dlq`), maxReceiveCount: 1 })
  const { QueueUrl: source } = await client.createQueue({ QueueName: name, Attributes: { RedrivePolicy, VisibilityTimeout: '1' } })
  const sent: string[] = []
  for (let i = 0; i < count; i += 10) {
    const entries = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({ Id: `m${j}`, MessageBody: `message ${i + j}` }))
    const { Successful } = await client.sendMessageBatch({ QueueUrl: source, Entries: entries })
    sent.push(...Successful!.map((s) => s.MessageId!))
  }
  // one receive each, then the next receive after the visibility timeout moves them to the dead-letter queue
  let received = 0
  while (received < count) received += (await client.receiveMessage({ QueueUrl: source, MaxNumberOfMessages: 10 })).Messages?.length ?? 0
  await pause(1_100)
  expect((await client.receiveMessage({ QueueUrl: source, MaxNumberOfMessages: 10 })).Messages ?? []).toEqual([])
  // the task records how many it has to move from the counts, which follow the activity by a moment
  await expect.poll(async () => (await client.getQueueAttributes({ QueueUrl: dlq, AttributeNames: ['ApproximateNumberOfMessages'] }))
    .Attributes?.ApproximateNumberOfMessages, { timeout: 10_000 }).toBe(String(count))
  return { source: source!, dlq: dlq!, sourceArn: arnOf(name), dlqArn: arnOf(`${name}-dlq`), sent }
}

/** Everything receivable, each held 60 s (longer than the draining: a source would redrive it again after one receive). */
async function drain(client: SQS, QueueUrl: string) {
  const messages: Array<{ MessageId?: string; Body?: string }> = []
  for (let empty = 0; empty < 2; ) {
    const batch = (await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 })).Messages ?? []
    messages.push(...batch)
    empty = batch.length ? 0 : empty + 1
  }
  return messages
}

async function finished(client: SQS, SourceArn: string) {
  for (let i = 0; i < 300; i++) {
    const [task] = (await client.listMessageMoveTasks({ SourceArn })).Results ?? []
    if (task && task.Status !== 'RUNNING' && task.Status !== 'CANCELLING') return task
    await pause(200)
  }
  throw new Error('the move task did not finish in 60 s')
}

describe.each(clients)('message move tasks over $name', ({ client, dialect }) => {
  it('moves dead-lettered messages back to the queue they came from, keeping their ids and bodies', async () => {
    const { source, dlq, dlqArn, sent } = await deadLettered(client, 12)
    const { TaskHandle } = await client.startMessageMoveTask({ SourceArn: dlqArn })
    expect(TaskHandle).toMatch(/^[A-Za-z0-9+/=]+$/)
    const task = await finished(client, dlqArn)
    expect(task).toMatchObject({ Status: 'COMPLETED', SourceArn: dlqArn, ApproximateNumberOfMessagesMoved: 12 })
    expect(task.TaskHandle).toBeUndefined()
    expect(task.DestinationArn).toBeUndefined()
    expect(task.StartedTimestamp).toBeGreaterThan(Date.now() - 60_000)
    const back = await drain(client, source)
    expect(back.map((m) => m.MessageId).sort()).toEqual([...sent].sort())
    expect(new Set(back.map((m) => m.Body))).toEqual(new Set(Array.from({ length: 12 }, (_, i) => `message ${i}`)))
    expect(await drain(client, dlq)).toEqual([])
  }, 120_000)

  it('moves to a destination of its own, and fails a task whose messages name no source', async () => {
    const { dlq, dlqArn } = await deadLettered(client, 1)
    await client.sendMessage({ QueueUrl: dlq, MessageBody: 'sent straight to the dead-letter queue' })
    const { QueueUrl: elsewhere } = await client.createQueue({ QueueName: uniqueQueueName('move-dest') })
    const elsewhereArn = arnOf(elsewhere!.split('/').pop()!)
    await client.startMessageMoveTask({ SourceArn: dlqArn, DestinationArn: elsewhereArn, MaxNumberOfMessagesPerSecond: 100 })
    expect(await finished(client, dlqArn)).toMatchObject({
      Status: 'COMPLETED', DestinationArn: elsewhereArn, MaxNumberOfMessagesPerSecond: 100, ApproximateNumberOfMessagesMoved: 2,
    })
    expect((await drain(client, elsewhere!)).map((m) => m.Body).sort()).toEqual(['message 0', 'sent straight to the dead-letter queue'])

    await client.sendMessage({ QueueUrl: dlq, MessageBody: 'no way back' })
    await client.startMessageMoveTask({ SourceArn: dlqArn })
    expect(await finished(client, dlqArn)).toMatchObject({ Status: 'FAILED', FailureReason: 'CouldNotDetermineMessageSource' })
    expect((await drain(client, dlq)).map((m) => m.Body)).toEqual(['no way back'])
  }, 120_000)

  it('allows one active task per source, cancels one, and lists the newest first', async () => {
    const { dlqArn } = await deadLettered(client, 20)
    const { TaskHandle } = await client.startMessageMoveTask({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 2 })
    await expect(client.startMessageMoveTask({ SourceArn: dlqArn })).rejects.toMatchObject(sqsError(dialect, {
      name: 'InvalidParameterValue', status: 400, modelled: false,
      message: 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    }))
    const [running] = (await client.listMessageMoveTasks({ SourceArn: dlqArn })).Results!
    expect(running).toMatchObject({ Status: 'RUNNING', TaskHandle, ApproximateNumberOfMessagesToMove: 20 })
    const { ApproximateNumberOfMessagesMoved } = await client.cancelMessageMoveTask({ TaskHandle })
    expect(ApproximateNumberOfMessagesMoved).toBeLessThan(20)
    const cancelled = await finished(client, dlqArn)
    expect(cancelled.Status).toBe('CANCELLED')
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeLessThan(20)
    await client.startMessageMoveTask({ SourceArn: dlqArn })
    await finished(client, dlqArn)
    const { Results } = await client.listMessageMoveTasks({ SourceArn: dlqArn, MaxResults: 10 })
    expect(Results!.map((t) => t.Status)).toEqual(['COMPLETED', 'CANCELLED'])
    expect(Results![0]!.ApproximateNumberOfMessagesMoved! + Results![1]!.ApproximateNumberOfMessagesMoved!).toBe(20)
    await expect(client.cancelMessageMoveTask({ TaskHandle })).rejects.toMatchObject(
      sqsError(dialect, { name: 'ResourceNotFoundException', status: 404, message: 'Task does not exist.' }))
  }, 120_000)

  it('answers SQS’s errors for bad sources, destinations, rates and handles', async () => {
    const { QueueUrl: plain } = await client.createQueue({ QueueName: uniqueQueueName('move-plain') })
    const plainArn = arnOf(plain!.split('/').pop()!)
    await expect(client.startMessageMoveTask({ SourceArn: plainArn })).rejects.toMatchObject(sqsError(dialect, {
      name: 'InvalidParameterValue', status: 400, message: 'Source queue must be configured as a Dead Letter Queue.', modelled: false,
    }))
    await expect(client.startMessageMoveTask({ SourceArn: arnOf(uniqueQueueName('missing')) })).rejects.toMatchObject(sqsError(dialect, {
      name: 'ResourceNotFoundException', status: 404, message: 'The resource that you specified for the SourceArn parameter doesn\'t exist.',
    }))
    const { dlqArn } = await deadLettered(client, 0)
    await expect(client.startMessageMoveTask({ SourceArn: dlqArn, DestinationArn: arnOf(uniqueQueueName('missing')) })).rejects.toMatchObject(sqsError(dialect, {
      name: 'ResourceNotFoundException', status: 404, message: 'The resource that you specified for the DestinationArn parameter doesn\'t exist.',
    }))
    await expect(client.startMessageMoveTask({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 501 })).rejects.toMatchObject(sqsError(dialect, {
      name: 'InvalidParameterValue', status: 400, modelled: false,
      message: 'Value 501 for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500, if provided.',
    }))
    await expect(client.cancelMessageMoveTask({ TaskHandle: 'not a handle' })).rejects.toMatchObject(sqsError(dialect, {
      name: 'InvalidParameterValue', status: 400, message: 'Value for parameter TaskHandle is invalid.', modelled: false,
    }))
    const { QueueUrl: fifo } = await client.createQueue({ QueueName: uniqueQueueName('move', true), Attributes: { FifoQueue: 'true' } })
    await expect(client.startMessageMoveTask({ SourceArn: arnOf(fifo!.split('/').pop()!) })).rejects.toMatchObject(sqsError(dialect, {
      name: 'UnsupportedOperation', status: 400, message: 'Message move tasks are supported for standard queues only.',
    }))
    expect((await client.listMessageMoveTasks({ SourceArn: plainArn })).Results ?? []).toEqual([])
  })
})
