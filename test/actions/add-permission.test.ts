import { describe, expect, it } from 'vitest'
import { accountId, clients, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('AddPermission over $name', ({ client }) => {
  const newQueue = async () => {
    const name = uniqueQueueName('perm')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    return { QueueUrl: QueueUrl!, arn: `arn:aws:sqs:us-east-1:${accountId}:${name}` }
  }
  const policyOf = async (QueueUrl: string) => {
    const { Attributes } = await client.getQueueAttributes({ QueueUrl, AttributeNames: ['Policy'] })
    return Attributes?.Policy === undefined ? undefined : JSON.parse(Attributes.Policy)
  }
  const invalidParameter = (message: string) => ({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 }, message })

  it('keeps an Allow statement under the label in the Policy attribute', async () => {
    const { QueueUrl, arn } = await newQueue()
    await client.addPermission({ QueueUrl, Label: 'send-ok', AWSAccountIds: ['111122223333'], Actions: ['SendMessage', 'ReceiveMessage'] })
    expect(await policyOf(QueueUrl)).toEqual({
      Version: '2012-10-17',
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [{
        Sid: 'send-ok', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root'] },
        Action: ['SQS:SendMessage', 'SQS:ReceiveMessage'], Resource: arn,
      }],
    })
  })

  it('adds one statement per label', async () => {
    const { QueueUrl } = await newQueue()
    await client.addPermission({ QueueUrl, Label: 'one', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })
    await client.addPermission({ QueueUrl, Label: 'two', AWSAccountIds: ['444455556666'], Actions: ['*'] })
    const policy = await policyOf(QueueUrl)
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['one', 'two'])
    expect(policy.Statement[1].Action).toEqual(['SQS:*'])
  })

  it('rejects a label that already exists', async () => {
    const { QueueUrl } = await newQueue()
    await client.addPermission({ QueueUrl, Label: 'dup', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })
    await expect(client.addPermission({ QueueUrl, Label: 'dup', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }))
      .rejects.toMatchObject(invalidParameter('Value dup for parameter Label is invalid. Reason: Already exists.'))
  })

  it('rejects a label with characters outside A-Za-z0-9-_ or over 80 characters', async () => {
    const { QueueUrl } = await newQueue()
    for (const Label of ['has space', 'x'.repeat(81)]) {
      await expect(client.addPermission({ QueueUrl, Label, AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }))
        .rejects.toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } })
    }
  })

  it('rejects actions that cannot be granted', async () => {
    const { QueueUrl } = await newQueue()
    await expect(client.addPermission({ QueueUrl, Label: 'bad', AWSAccountIds: ['111122223333'], Actions: ['DeleteQueue'] }))
      .rejects.toMatchObject(invalidParameter('Value SQS:DeleteQueue for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions.'))
  })

  it('answers OverLimit (403) for more than 7 actions in a statement', async () => {
    const { QueueUrl } = await newQueue()
    const Actions = ['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl', 'PurgeQueue', 'ListQueueTags']
    await expect(client.addPermission({ QueueUrl, Label: 'many', AWSAccountIds: ['111122223333'], Actions }))
      .rejects.toMatchObject({ name: 'OverLimit', $metadata: { httpStatusCode: 403 } })
    expect(await policyOf(QueueUrl)).toBeUndefined()
  })
})
