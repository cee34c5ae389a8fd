import { describe, expect, it } from 'vitest'
import { accountId, clients, endpoint, sqsError, uniqueQueueName } from '../support/clients.js'

/** Settable integer attributes with their inclusive ranges and defaults (docs/reference/sqs.md §b). */
const integerAttributes = [
  { name: 'DelaySeconds', min: 0, max: 900, fallback: '0' },
  { name: 'MaximumMessageSize', min: 1024, max: 1_048_576, fallback: '1048576' },
  { name: 'MessageRetentionPeriod', min: 60, max: 1_209_600, fallback: '345600' },
  { name: 'ReceiveMessageWaitTimeSeconds', min: 0, max: 20, fallback: '0' },
  { name: 'VisibilityTimeout', min: 0, max: 43_200, fallback: '30' },
  { name: 'KmsDataKeyReusePeriodSeconds', min: 60, max: 86_400, fallback: undefined },
] as const

describe.each(clients)('CreateQueue over $name', ({ client, dialect }) => {
  const attributesOf = async (QueueUrl: string) =>
    (await client.getQueueAttributes({ QueueUrl, AttributeNames: ['All'] })).Attributes ?? {}
  const invalidValue = (name: string) =>
    sqsError(dialect, { name: 'InvalidAttributeValue', status: 400, message: `Invalid value for the parameter ${name}.` })

  it('returns the queue URL built from the request host', async () => {
    const name = uniqueQueueName('create')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    expect(QueueUrl).toBe(`${endpoint}/${accountId}/${name}`)
  })

  it('gives a new queue the documented defaults', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('create') })
    const attributes = await attributesOf(QueueUrl!)
    expect(attributes).toMatchObject({
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      VisibilityTimeout: '30',
      SqsManagedSseEnabled: 'true',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
    })
    for (const absent of ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'FifoQueue']) {
      expect(attributes).not.toHaveProperty(absent)
    }
  })

  it.each(integerAttributes)('accepts $name at both ends of its range and rejects just outside', async ({ name, min, max }) => {
    const kms = name === 'KmsDataKeyReusePeriodSeconds' ? { KmsMasterKeyId: 'alias/aws/sqs' } : {}
    for (const value of [min, max]) {
      const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('range'), Attributes: { ...kms, [name]: String(value) } })
      expect((await attributesOf(QueueUrl!))[name]).toBe(String(value))
    }
    for (const value of [min - 1, max + 1, 'ten', '1.5', '']) {
      await expect(client.createQueue({ QueueName: uniqueQueueName('range'), Attributes: { ...kms, [name]: String(value) } }))
        .rejects.toMatchObject(invalidValue(name))
    }
  })

  it('answers InvalidAttributeName for an attribute SQS does not know', async () => {
    await expect(client.createQueue({ QueueName: uniqueQueueName('create'), Attributes: { Colour: 'blue' } as never }))
      .rejects.toMatchObject(sqsError(dialect, { name: 'InvalidAttributeName', status: 400, message: 'Unknown Attribute Colour.' }))
  })

  it('answers InvalidAttributeName for read-only attributes', async () => {
    await expect(client.createQueue({ QueueName: uniqueQueueName('create'), Attributes: { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:x' } }))
      .rejects.toMatchObject(sqsError(dialect, { name: 'InvalidAttributeName', status: 400, message: 'Unknown Attribute QueueArn.' }))
  })

  it('rejects FIFO-only attributes on a standard queue', async () => {
    for (const [name, value] of [['ContentBasedDeduplication', 'true'], ['DeduplicationScope', 'queue'], ['FifoThroughputLimit', 'perQueue']]) {
      await expect(client.createQueue({ QueueName: uniqueQueueName('create'), Attributes: { [name!]: value! } }))
        .rejects.toMatchObject(sqsError(dialect, {
          name: 'InvalidAttributeName', status: 400, message: `You can specify the ${name} only when FifoQueue is set to true.`,
        }))
    }
  })

  it('rejects FifoQueue on a standard queue, even false', async () => {
    await expect(client.createQueue({ QueueName: uniqueQueueName('create'), Attributes: { FifoQueue: 'false' } }))
      .rejects.toMatchObject(sqsError(dialect, { name: 'InvalidAttributeName', status: 400, message: 'Unknown Attribute FifoQueue.' }))
  })

  it('makes a FIFO queue from a .fifo name and FifoQueue=true, with the FIFO defaults', async () => {
    const name = uniqueQueueName('create', true)
    const { QueueUrl } = await client.createQueue({ QueueName: name, Attributes: { FifoQueue: 'true' } })
    expect(QueueUrl).toBe(`${endpoint}/${accountId}/${name}`)
    expect(await attributesOf(QueueUrl!)).toMatchObject({
      FifoQueue: 'true', ContentBasedDeduplication: 'false', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue',
    })
  })

  it('requires a FIFO queue name to end in .fifo', async () => {
    await expect(client.createQueue({ QueueName: uniqueQueueName('create'), Attributes: { FifoQueue: 'true' } })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      $metadata: { httpStatusCode: 400 },
      message: 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    })
  })

  it('does not let a standard queue name end in .fifo', async () => {
    await expect(client.createQueue({ QueueName: uniqueQueueName('create', true) })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      $metadata: { httpStatusCode: 400 },
      message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    })
  })

  it('rejects a name with characters SQS does not allow', async () => {
    for (const QueueName of ['bad name!', 'dots.are.out', 'ünïcode', '']) {
      await expect(client.createQueue({ QueueName })).rejects.toMatchObject({
        name: 'InvalidParameterValue',
        $metadata: { httpStatusCode: 400 },
        message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      })
    }
  })

  it('accepts names of 80 characters (FIFO: 75 plus .fifo) and no longer', async () => {
    const stem = uniqueQueueName('n')
    await expect(client.createQueue({ QueueName: stem.padEnd(80, 'x') })).resolves.toHaveProperty('QueueUrl')
    await expect(client.createQueue({ QueueName: `${stem.padEnd(75, 'y')}.fifo`, Attributes: { FifoQueue: 'true' } })).resolves.toHaveProperty('QueueUrl')
    await expect(client.createQueue({ QueueName: stem.padEnd(81, 'x') })).rejects.toMatchObject({ name: 'InvalidParameterValue' })
    await expect(client.createQueue({ QueueName: `${stem.padEnd(76, 'y')}.fifo`, Attributes: { FifoQueue: 'true' } }))
      .rejects.toMatchObject({ name: 'InvalidParameterValue' })
  })

  it('treats names as case-sensitive', async () => {
    const name = uniqueQueueName('case')
    const lower = await client.createQueue({ QueueName: name })
    const upper = await client.createQueue({ QueueName: name.toUpperCase(), Attributes: { DelaySeconds: '7' } })
    expect(upper.QueueUrl).not.toBe(lower.QueueUrl)
    expect((await attributesOf(lower.QueueUrl!)).DelaySeconds).toBe('0')
  })

  it('returns the same URL for an identical or subset create', async () => {
    const name = uniqueQueueName('create')
    const first = await client.createQueue({ QueueName: name, Attributes: { VisibilityTimeout: '45', DelaySeconds: '5' } })
    const again = await client.createQueue({ QueueName: name, Attributes: { VisibilityTimeout: '45' } })
    const bare = await client.createQueue({ QueueName: name })
    expect(again.QueueUrl).toBe(first.QueueUrl)
    expect(bare.QueueUrl).toBe(first.QueueUrl)
  })

  it('compares a same-name create by value, so a default given explicitly matches', async () => {
    const name = uniqueQueueName('create')
    const first = await client.createQueue({ QueueName: name })
    const again = await client.createQueue({ QueueName: name, Attributes: { VisibilityTimeout: '30', DelaySeconds: '0' } })
    expect(again.QueueUrl).toBe(first.QueueUrl)
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

  it('answers QueueDeletedRecently for the name of a queue deleted less than 60 s ago', async () => {
    const name = uniqueQueueName('create')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    await client.deleteQueue({ QueueUrl })
    await expect(client.createQueue({ QueueName: name })).rejects.toMatchObject(sqsError(dialect, {
      name: 'QueueDeletedRecently',
      status: 400,
      message: 'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
    }))
  })

  it('keeps the tags given at creation', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('create'), tags: { team: 'payments', empty: '' } })
    expect((await client.listQueueTags({ QueueUrl })).Tags).toEqual({ team: 'payments', empty: '' })
  })

  it('rejects tags with the reserved aws: prefix', async () => {
    await expect(client.createQueue({ QueueName: uniqueQueueName('create'), tags: { 'aws:owner': 'x' } }))
      .rejects.toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } })
  })

  it('accepts a policy document and rejects text that is not JSON', async () => {
    const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage' }] })
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('create'), Attributes: { Policy } })
    expect(JSON.parse((await attributesOf(QueueUrl!)).Policy!)).toEqual(JSON.parse(Policy))
    await expect(client.createQueue({ QueueName: uniqueQueueName('create'), Attributes: { Policy: '{not json' } }))
      .rejects.toMatchObject(invalidValue('Policy'))
  })

  it('turns SQS-managed encryption off when a KMS key is given, and refuses both at once', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('create'), Attributes: { KmsMasterKeyId: 'alias/aws/sqs' } })
    expect(await attributesOf(QueueUrl!)).toMatchObject({ KmsMasterKeyId: 'alias/aws/sqs', SqsManagedSseEnabled: 'false' })
    await expect(client.createQueue({
      QueueName: uniqueQueueName('create'), Attributes: { KmsMasterKeyId: 'alias/aws/sqs', SqsManagedSseEnabled: 'true' },
    })).rejects.toMatchObject(sqsError(dialect, { name: 'InvalidAttributeName', status: 400 }))
  })

  it('accepts SqsManagedSseEnabled true or false only', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('create'), Attributes: { SqsManagedSseEnabled: 'false' } })
    expect((await attributesOf(QueueUrl!)).SqsManagedSseEnabled).toBe('false')
    await expect(client.createQueue({ QueueName: uniqueQueueName('create'), Attributes: { SqsManagedSseEnabled: 'yes' } }))
      .rejects.toMatchObject(invalidValue('SqsManagedSseEnabled'))
  })

  it('accepts a redrive policy only to an existing dead-letter queue', async () => {
    const dlq = await client.createQueue({ QueueName: uniqueQueueName('dlq') })
    const { Attributes } = await client.getQueueAttributes({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] })
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 3 })
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('create'), Attributes: { RedrivePolicy } })
    expect(JSON.parse((await attributesOf(QueueUrl!)).RedrivePolicy!)).toEqual({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 3 })
    const missing = JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${accountId}:${uniqueQueueName('none')}`, maxReceiveCount: 3 })
    await expect(client.createQueue({ QueueName: uniqueQueueName('create'), Attributes: { RedrivePolicy: missing } }))
      .rejects.toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } })
  })
})
