import { describe, expect, it } from 'vitest'
import { clients, sqsError, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('ChangeMessageVisibility over $name', ({ client, dialect }) => {
  async function receivedMessage(VisibilityTimeout: number) {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('cmv') })
    await client.sendMessage({ QueueUrl, MessageBody: 'watched' })
    const { Messages } = await client.receiveMessage({ QueueUrl, VisibilityTimeout })
    return { QueueUrl: QueueUrl!, ReceiptHandle: Messages![0]!.ReceiptHandle! }
  }
  const receivable = async (QueueUrl: string) => ((await client.receiveMessage({ QueueUrl, VisibilityTimeout: 0 })).Messages ?? []).length

  it('makes the message visible at once with 0', async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage(600)
    expect(await receivable(QueueUrl)).toBe(0)
    await client.changeMessageVisibility({ QueueUrl, ReceiptHandle, VisibilityTimeout: 0 })
    expect(await receivable(QueueUrl)).toBe(1)
  })

  it('counts the new timeout from now, hiding a message that was visible again', async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage(0)
    await client.changeMessageVisibility({ QueueUrl, ReceiptHandle, VisibilityTimeout: 600 })
    expect(await receivable(QueueUrl)).toBe(0)
  })

  it('succeeds on a message whose visibility expired and that nobody received since', async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage(0)
    await expect(client.changeMessageVisibility({ QueueUrl, ReceiptHandle, VisibilityTimeout: 30 })).resolves.toBeDefined()
  })

  it('applies an older receipt handle of a message received again since', async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage(0)
    const { Messages } = await client.receiveMessage({ QueueUrl, VisibilityTimeout: 600 })
    expect(Messages).toHaveLength(1)
    await client.changeMessageVisibility({ QueueUrl, ReceiptHandle, VisibilityTimeout: 0 })
    const again = await client.receiveMessage({ QueueUrl, VisibilityTimeout: 600, AttributeNames: ['ApproximateReceiveCount' as never] })
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('3')
  })

  it('answers InvalidParameterValue for a deleted message', async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage(600)
    await client.deleteMessage({ QueueUrl, ReceiptHandle })
    await expect(client.changeMessageVisibility({ QueueUrl, ReceiptHandle, VisibilityTimeout: 10 })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      $metadata: { httpStatusCode: 400 },
      message: `Value ${ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    })
  })

  it('caps the total visibility at 12 hours from the receive', async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage(43_200)
    await expect(client.changeMessageVisibility({ QueueUrl, ReceiptHandle, VisibilityTimeout: 43_200 })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      $metadata: { httpStatusCode: 400 },
      message: 'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds].',
    })
    await client.changeMessageVisibility({ QueueUrl, ReceiptHandle, VisibilityTimeout: 43_000 })
  })

  it('rejects a VisibilityTimeout outside 0–43200', async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage(30)
    for (const VisibilityTimeout of [-1, 43_201]) {
      await expect(client.changeMessageVisibility({ QueueUrl, ReceiptHandle, VisibilityTimeout }))
        .rejects.toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } })
    }
  })

  it('answers ReceiptHandleIsInvalid (404) for a malformed handle', async () => {
    const { QueueUrl } = await receivedMessage(30)
    await expect(client.changeMessageVisibility({ QueueUrl, ReceiptHandle: 'garbage', VisibilityTimeout: 10 })).rejects.toMatchObject(sqsError(dialect, {
      name: 'ReceiptHandleIsInvalid', status: 404, message: 'The input receipt handle "garbage" is not a valid receipt handle.',
    }))
  })
})
