import { describe, expect, it } from 'vitest'
import { clients, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('RemovePermission over $name', ({ client }) => {
  const policyOf = async (QueueUrl: string) =>
    (await client.getQueueAttributes({ QueueUrl, AttributeNames: ['Policy'] })).Attributes?.Policy

  it('removes the statement with that label and keeps the others', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('unperm') })
    await client.addPermission({ QueueUrl, Label: 'a', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })
    await client.addPermission({ QueueUrl, Label: 'b', AWSAccountIds: ['111122223333'], Actions: ['ReceiveMessage'] })
    await client.removePermission({ QueueUrl, Label: 'a' })
    expect(JSON.parse((await policyOf(QueueUrl!))!).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['b'])
  })

  it('drops the Policy attribute with its last statement', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('unperm') })
    await client.addPermission({ QueueUrl, Label: 'only', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })
    await client.removePermission({ QueueUrl, Label: 'only' })
    expect(await policyOf(QueueUrl!)).toBeUndefined()
  })

  it('rejects a label the policy does not have', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('unperm') })
    await expect(client.removePermission({ QueueUrl, Label: 'ghost' })).rejects.toMatchObject({
      name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 },
      message: "Value ghost for parameter Label is invalid. Reason: can't find label on existing policy.",
    })
  })
})
