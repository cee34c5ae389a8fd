import type { SQS } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { accountId, clients, sqsError, uniqueQueueName } from '../support/clients.js'

async function arnOf(client: SQS, QueueUrl: string) {
  return (await client.getQueueAttributes({ QueueUrl, AttributeNames: ['QueueArn'] })).Attributes!.QueueArn!
}

describe.each(clients)('SetQueueAttributes over $name', ({ client, dialect }) => {
  const newQueue = async (fifo = false) =>
    (await client.createQueue({ QueueName: uniqueQueueName('set', fifo), Attributes: fifo ? { FifoQueue: 'true' } : {} })).QueueUrl!
  const attributesOf = async (QueueUrl: string) =>
    (await client.getQueueAttributes({ QueueUrl, AttributeNames: ['All'] })).Attributes!
  const invalidParameter = (reason: string, value: string, parameter = 'RedrivePolicy') => ({
    name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 },
    message: `Value ${value} for parameter ${parameter} is invalid. Reason: ${reason}`,
  })

  it('changes the attributes given and leaves the others', async () => {
    const QueueUrl = await newQueue()
    await client.setQueueAttributes({ QueueUrl, Attributes: { VisibilityTimeout: '120', DelaySeconds: '3' } })
    expect(await attributesOf(QueueUrl)).toMatchObject({ VisibilityTimeout: '120', DelaySeconds: '3', MessageRetentionPeriod: '345600' })
  })

  it('rejects an out-of-range value with InvalidAttributeValue and changes nothing', async () => {
    const QueueUrl = await newQueue()
    await expect(client.setQueueAttributes({ QueueUrl, Attributes: { DelaySeconds: '5', VisibilityTimeout: '43201' } }))
      .rejects.toMatchObject(sqsError(dialect, { name: 'InvalidAttributeValue', status: 400, message: 'Invalid value for the parameter VisibilityTimeout.' }))
    expect((await attributesOf(QueueUrl)).DelaySeconds).toBe('0')
  })

  it('answers InvalidAttributeName for an unknown attribute', async () => {
    const QueueUrl = await newQueue()
    await expect(client.setQueueAttributes({ QueueUrl, Attributes: { Colour: 'red' } as never }))
      .rejects.toMatchObject(sqsError(dialect, { name: 'InvalidAttributeName', status: 400, message: 'Unknown Attribute Colour.' }))
  })

  it('knows no FifoQueue attribute on a standard queue', async () => {
    const QueueUrl = await newQueue()
    for (const FifoQueue of ['true', 'false']) {
      await expect(client.setQueueAttributes({ QueueUrl, Attributes: { FifoQueue } })).rejects.toMatchObject(sqsError(dialect, {
        name: 'InvalidAttributeName', status: 400, message: 'Unknown Attribute FifoQueue.',
      }))
    }
  })

  it('accepts FifoQueue=true on a FIFO queue, changing nothing, and refuses false', async () => {
    const QueueUrl = await newQueue(true)
    const before = await attributesOf(QueueUrl)
    await client.setQueueAttributes({ QueueUrl, Attributes: { FifoQueue: 'true' } })
    expect(await attributesOf(QueueUrl)).toMatchObject({ ...before, LastModifiedTimestamp: expect.any(String) })
    await expect(client.setQueueAttributes({ QueueUrl, Attributes: { FifoQueue: 'false' } })).rejects.toMatchObject(sqsError(dialect, {
      name: 'InvalidAttributeValue', status: 400, message: 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
    }))
  })

  it('rejects FIFO-only attributes on a standard queue', async () => {
    const QueueUrl = await newQueue()
    await expect(client.setQueueAttributes({ QueueUrl, Attributes: { DeduplicationScope: 'messageGroup' } })).rejects.toMatchObject(sqsError(dialect, {
      name: 'InvalidAttributeName', status: 400, message: 'You can specify the DeduplicationScope only when FifoQueue is set to true.',
    }))
  })

  it('moves LastModifiedTimestamp but not CreatedTimestamp', async () => {
    const QueueUrl = await newQueue()
    const before = await attributesOf(QueueUrl)
    await client.setQueueAttributes({ QueueUrl, Attributes: { DelaySeconds: '1' } })
    const after = await attributesOf(QueueUrl)
    expect(after.CreatedTimestamp).toBe(before.CreatedTimestamp)
    expect(Number(after.LastModifiedTimestamp)).toBeGreaterThanOrEqual(Number(before.LastModifiedTimestamp))
  })

  it('stores a RedrivePolicy as canonical JSON, maxReceiveCount as a number', async () => {
    const [QueueUrl, dlq] = [await newQueue(), await newQueue()]
    const deadLetterTargetArn = await arnOf(client, dlq)
    await client.setQueueAttributes({ QueueUrl, Attributes: { RedrivePolicy: JSON.stringify({ maxReceiveCount: '4', deadLetterTargetArn }) } })
    expect((await attributesOf(QueueUrl)).RedrivePolicy).toBe(JSON.stringify({ deadLetterTargetArn, maxReceiveCount: 4 }))
  })

  it('removes the RedrivePolicy when set to ""', async () => {
    const [QueueUrl, dlq] = [await newQueue(), await newQueue()]
    const deadLetterTargetArn = await arnOf(client, dlq)
    await client.setQueueAttributes({ QueueUrl, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn, maxReceiveCount: 2 }) } })
    await client.setQueueAttributes({ QueueUrl, Attributes: { RedrivePolicy: '' } })
    expect(await attributesOf(QueueUrl)).not.toHaveProperty('RedrivePolicy')
  })

  it('requires both keys of a RedrivePolicy and a maxReceiveCount of 1–1000', async () => {
    const [QueueUrl, dlq] = [await newQueue(), await newQueue()]
    const deadLetterTargetArn = await arnOf(client, dlq)
    const cases: Array<[object | string, string]> = [
      [{ deadLetterTargetArn }, 'Redrive policy does not contain mandatory attribute: maxReceiveCount.'],
      [{ maxReceiveCount: 3 }, 'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.'],
      [{ deadLetterTargetArn, maxReceiveCount: 0 }, 'Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive.'],
      [{ deadLetterTargetArn, maxReceiveCount: 1001 }, 'Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both inclusive.'],
      ['not json', 'Redrive policy is not a valid JSON map.'],
    ]
    for (const [policy, reason] of cases) {
      const RedrivePolicy = typeof policy === 'string' ? policy : JSON.stringify(policy)
      await expect(client.setQueueAttributes({ QueueUrl, Attributes: { RedrivePolicy } })).rejects.toMatchObject(invalidParameter(reason, RedrivePolicy))
    }
    expect(await attributesOf(QueueUrl)).not.toHaveProperty('RedrivePolicy')
  })

  it('requires the dead-letter queue to exist', async () => {
    const QueueUrl = await newQueue()
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${accountId}:${uniqueQueueName('none')}`, maxReceiveCount: 2 })
    await expect(client.setQueueAttributes({ QueueUrl, Attributes: { RedrivePolicy } }))
      .rejects.toMatchObject(invalidParameter('Dead letter target does not exist.', RedrivePolicy))
  })

  it('requires the dead-letter queue to be of the same type', async () => {
    const [standard, fifo] = [await newQueue(), await newQueue(true)]
    for (const [QueueUrl, dlq] of [[standard, fifo], [fifo, standard]] as const) {
      const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: await arnOf(client, dlq), maxReceiveCount: 2 })
      await expect(client.setQueueAttributes({ QueueUrl, Attributes: { RedrivePolicy } }))
        .rejects.toMatchObject(invalidParameter('Dead-letter queue must be same type of queue as the source.', RedrivePolicy))
    }
  })

  it('stores a RedriveAllowPolicy and removes it when set to ""', async () => {
    const [QueueUrl, source] = [await newQueue(), await newQueue()]
    const RedriveAllowPolicy = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [await arnOf(client, source)] })
    await client.setQueueAttributes({ QueueUrl, Attributes: { RedriveAllowPolicy } })
    expect((await attributesOf(QueueUrl)).RedriveAllowPolicy).toBe(RedriveAllowPolicy)
    await client.setQueueAttributes({ QueueUrl, Attributes: { RedriveAllowPolicy: '' } })
    expect(await attributesOf(QueueUrl)).not.toHaveProperty('RedriveAllowPolicy')
  })

  it('validates a RedriveAllowPolicy: permission, and 1–10 source ARNs only with byQueue', async () => {
    const QueueUrl = await newQueue()
    const arn = (i: number) => `arn:aws:sqs:us-east-1:${accountId}:source-${i}`
    for (const policy of [
      { redrivePermission: 'someQueues' },
      { redrivePermission: 'byQueue' },
      { redrivePermission: 'byQueue', sourceQueueArns: [] },
      { redrivePermission: 'byQueue', sourceQueueArns: Array.from({ length: 11 }, (_, i) => arn(i)) },
      { redrivePermission: 'byQueue', sourceQueueArns: ['not-an-arn'] },
      { redrivePermission: 'allowAll', sourceQueueArns: [arn(1)] },
    ]) {
      const RedriveAllowPolicy = JSON.stringify(policy)
      await expect(client.setQueueAttributes({ QueueUrl, Attributes: { RedriveAllowPolicy } })).rejects.toMatchObject({
        name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 },
        message: expect.stringContaining(`Value ${RedriveAllowPolicy} for parameter RedriveAllowPolicy is invalid. Reason: `),
      })
    }
  })

  it('refuses a dead-letter queue whose RedriveAllowPolicy does not admit the source', async () => {
    const [QueueUrl, dlq] = [await newQueue(), await newQueue()]
    const deadLetterTargetArn = await arnOf(client, dlq)
    await client.setQueueAttributes({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) } })
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn, maxReceiveCount: 2 })
    await expect(client.setQueueAttributes({ QueueUrl, Attributes: { RedrivePolicy } })).rejects.toMatchObject({
      name: 'InvalidParameterValue', message: expect.stringContaining('does not allow this queue to use it as a dead-letter queue'),
    })
  })
})
