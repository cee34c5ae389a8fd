import { CreateQueueCommand, ReceiveMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs'
import { queue as dqsQueue } from '@dqs/client'
import { md5OfMessageAttributes } from '@dqs/core'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { sqsClient } from '../client/support.js'
import { clients, sqsError, uniqueQueueName } from '../support/clients.js'

/** Real time throughout: the schedules here are seconds ahead (hours ahead: test/engine/scheduled-delivery.test.ts). */
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString()
const string = (StringValue: string): MessageAttributeValue => ({ DataType: 'String', StringValue })
const number = (StringValue: string): MessageAttributeValue => ({ DataType: 'Number', StringValue })
/** Load on the test machine: how late past its time a scheduled message may arrive and still pass. */
const lateBoundMs = 2_500

describe.each(clients)('Scheduled delivery (DQS extension) over $name', ({ client, dialect }) => {
  const createQueue = async (attributes: Record<string, string> = {}, fifo = false) =>
    (await client.createQueue({ QueueName: uniqueQueueName('sched', fifo), Attributes: { ...attributes, ...(fifo ? { FifoQueue: 'true' } : {}) } })).QueueUrl!

  it('holds a message until DQS.DeliverAt, and a long poll waiting then receives it within about a second', async () => {
    const QueueUrl = await createQueue()
    const dueAt = Date.now() + 4_000
    await client.sendMessage({ QueueUrl, MessageBody: 'later', MessageAttributes: { 'DQS.DeliverAt': string(new Date(dueAt).toISOString()) } })
    expect((await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 0 })).Messages ?? []).toHaveLength(0)
    const { Messages = [] } = await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 })
    const arrived = Date.now()
    expect(Messages.map((m) => m.Body)).toEqual(['later'])
    expect(arrived).toBeGreaterThanOrEqual(dueAt - 50)
    expect(arrived - dueAt).toBeLessThan(lateBoundMs)
  })

  it('holds a message for DQS.DelaySeconds, consumes the attribute and answers the MD5 of what was sent', async () => {
    const QueueUrl = await createQueue()
    const sent = { 'DQS.DelaySeconds': number('2'), tenant: string('acme') }
    const started = Date.now()
    const answer = await client.sendMessage({ QueueUrl, MessageBody: 'soon', MessageAttributes: sent })
    // an SDK that checks attribute MD5s (Java's, for one) computes them over what it sent, the schedule included
    expect(answer.MD5OfMessageAttributes).toBe(md5OfMessageAttributes(sent as never))
    const { Messages = [] } = await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 20, MessageAttributeNames: ['All'] })
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_950)
    const [message] = Messages
    expect(message?.MessageAttributes).toEqual({ tenant: string('acme') })
    expect(message?.MD5OfMessageAttributes).toBe(md5OfMessageAttributes({ tenant: string('acme') } as never))
  })

  it('counts a scheduled message as delayed', async () => {
    const QueueUrl = await createQueue()
    await client.sendMessage({ QueueUrl, MessageBody: 'tomorrow', MessageAttributes: { 'DQS.DelaySeconds': number('86400') } })
    await expect.poll(async () => (await client.getQueueAttributes({ QueueUrl, AttributeNames: ['All'] })).Attributes, { timeout: 10_000 })
      .toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '1' })
  })

  it('schedules the entries of a SendMessageBatch that ask for it, and sends the others at once', async () => {
    const QueueUrl = await createQueue()
    const { Successful = [], Failed = [] } = await client.sendMessageBatch({
      QueueUrl,
      Entries: [
        { Id: 'later', MessageBody: 'later', MessageAttributes: { 'DQS.DeliverAt': string(inSeconds(3_600)) } },
        { Id: 'now', MessageBody: 'now' },
        { Id: 'bad', MessageBody: 'bad', MessageAttributes: { 'DQS.DeliverAt': string('next tuesday') } },
      ],
    })
    expect(Successful.map((s) => s.Id).sort()).toEqual(['later', 'now'])
    expect(Failed).toMatchObject([{ Id: 'bad', Code: 'InvalidParameterValue', SenderFault: true }])
    const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 })
    expect(Messages.map((m) => m.Body)).toEqual(['now'])
  })

  it.each([
    ['a time without a zone', { 'DQS.DeliverAt': string('2030-01-31T09:30:00') }, 'ISO-8601'],
    ['a time that is no date', { 'DQS.DeliverAt': string('2030-13-45T09:30:00Z') }, 'ISO-8601'],
    ['a time given as a Number', { 'DQS.DeliverAt': number('1900000000') }, 'ISO-8601'],
    ['a fractional delay', { 'DQS.DelaySeconds': number('1.5') }, 'whole number of seconds'],
    ['a negative delay', { 'DQS.DelaySeconds': number('-5') }, 'whole number of seconds'],
    ['both attributes', { 'DQS.DelaySeconds': number('5'), 'DQS.DeliverAt': string(inSeconds(5)) }, 'not both'],
    ['a time past the retention period', { 'DQS.DelaySeconds': number('3600') }, 'MessageRetentionPeriod (3000 seconds)'],
  ])('answers InvalidParameterValue for %s', async (_, MessageAttributes, reason) => {
    const QueueUrl = await createQueue({ MessageRetentionPeriod: '3000' })
    const error = await client.sendMessage({ QueueUrl, MessageBody: 'x', MessageAttributes }).catch((e: unknown) => e)
    expect(error).toMatchObject(sqsError(dialect, { name: 'InvalidParameterValue', status: 400 }))
    if (dialect === 'json') expect((error as Error).message).toContain(reason)
  })

  it('answers InvalidParameterValue on a FIFO queue, which cannot hold one message of a group back', async () => {
    const QueueUrl = await createQueue({ ContentBasedDeduplication: 'true' }, true)
    const error = await client.sendMessage({
      QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageAttributes: { 'DQS.DelaySeconds': number('3600') },
    }).catch((e: unknown) => e)
    expect(error).toMatchObject(sqsError(dialect, { name: 'InvalidParameterValue', status: 400 }))
    if (dialect === 'json') expect((error as Error).message).toContain('standard queues only')
  })
})

describe('Scheduled delivery through @dqs/client', () => {
  it('takes the reserved attribute as a plain value, and the message arrives after it', async () => {
    const client = sqsClient()
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: uniqueQueueName('sched-sdk') }))
    const reminders = dqsQueue(QueueUrl!, { client, schema: z.object({ task: z.string() }) })
    const started = Date.now()
    await reminders.send({ task: 'call back' }, { messageAttributes: { 'DQS.DelaySeconds': 2, source: 'crm' } })
    const { Messages = [] } = await client.send(new ReceiveMessageCommand({
      QueueUrl, WaitTimeSeconds: 20, MessageAttributeNames: ['All'],
    }))
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_950)
    const parsed = reminders.parse(Messages[0]!)
    expect(parsed).toMatchObject({ ok: true, message: { body: { task: 'call back' }, messageAttributes: { source: 'crm' } } })
  })
})
