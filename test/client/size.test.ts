import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { queue } from '@dqs/client'
import { describe, expect, it } from 'vitest'
import { toMessageAttributes } from '../../packages/client/src/attributes.js'
import { messageSize } from '../../packages/client/src/batching.js'
import { createQueue, spyOnCommands, sqsClient } from './support.js'

const attributes = { tenant: 'acme', attempt: 3, raw: new Uint8Array([1, 2, 3]), note: '\u00e9' }

describe('messageSize counts what SQS counts', () => {
  it('body UTF-8 bytes plus each attribute name, type and value', () => {
    expect(messageSize('h\u00e9', toMessageAttributes(attributes))).toBe(
      3 + (6 + 6 + 4) + (7 + 6 + 1) + (3 + 6 + 3) + (4 + 6 + 2),
    )
  })

  it('agrees with the server at the 1 MiB message limit', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'limit')
    const MessageAttributes = toMessageAttributes(attributes)
    const fill = (bytes: number) => 'x'.repeat(bytes - messageSize('', MessageAttributes))
    await expect(client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: fill(1_048_576), MessageAttributes })))
      .resolves.toMatchObject({ MessageId: expect.any(String) })
    await expect(client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: fill(1_048_577), MessageAttributes })))
      .rejects.toMatchObject({ name: 'InvalidParameterValue' })
  })

  it('fills a batch to exactly 1 MiB, and splits at one byte more', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'batch-limit')
    const { inputs } = spyOnCommands(client)
    const blobs = queue(url, { client, bodyFormat: 'raw' })
    const half = 'y'.repeat(524_288 - messageSize('', toMessageAttributes(attributes)))
    const exact = await blobs.sendMany([half, half], { messageAttributes: attributes })
    const over = await blobs.sendMany([half, `${half}y`], { messageAttributes: attributes })
    expect([...exact, ...over].every((r) => r.ok)).toBe(true)
    expect(inputs(SendMessageBatchCommand.name).map((input) => (input.Entries as unknown[]).length)).toEqual([2, 1, 1])
  })
})
