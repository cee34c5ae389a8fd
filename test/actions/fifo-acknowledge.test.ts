import { describe, expect, it } from 'vitest'
import { clients, sqsError, uniqueQueueName } from '../support/clients.js'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const invalidParameter = (message: string) => ({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 }, message })

describe.each(clients)('DeleteMessage and ChangeMessageVisibility on FIFO queues over $name', ({ client, dialect }) => {
  const fifoQueue = async (Attributes: Record<string, string> = {}) =>
    (await client.createQueue({ QueueName: uniqueQueueName('fack', true), Attributes: { FifoQueue: 'true', ...Attributes } })).QueueUrl!
  const send = (QueueUrl: string, MessageBody: string, MessageGroupId = 'g') =>
    client.sendMessage({ QueueUrl, MessageBody, MessageGroupId, MessageDeduplicationId: MessageBody })
  const receive = async (QueueUrl: string, options: { max?: number; visibility?: number } = {}) =>
    (await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: options.max ?? 1, VisibilityTimeout: options.visibility })).Messages ?? []

  it('answers InvalidParameterValue "The receipt handle has expired." once the visibility timeout ended', async () => {
    const QueueUrl = await fifoQueue()
    await send(QueueUrl, 'a')
    const [message] = await receive(QueueUrl, { visibility: 1 })
    await pause(1100)
    await expect(client.deleteMessage({ QueueUrl, ReceiptHandle: message!.ReceiptHandle! })).rejects.toMatchObject(
      invalidParameter(`Value ${message!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`))
    expect((await receive(QueueUrl)).map((m) => m.Body)).toEqual(['a'])
  })

  it('deletes in flight, and a repeated delete of the same handle succeeds', async () => {
    const QueueUrl = await fifoQueue()
    await send(QueueUrl, 'a')
    await send(QueueUrl, 'b')
    const [message] = await receive(QueueUrl)
    await client.deleteMessage({ QueueUrl, ReceiptHandle: message!.ReceiptHandle! })
    await client.deleteMessage({ QueueUrl, ReceiptHandle: message!.ReceiptHandle! })
    expect((await receive(QueueUrl, { max: 10 })).map((m) => m.Body)).toEqual(['b'])
  })

  it('deletes a batch with DeleteMessageBatch, reporting an expired handle in Failed', async () => {
    const QueueUrl = await fifoQueue()
    await send(QueueUrl, 'old')
    const [old] = await receive(QueueUrl, { visibility: 0 })
    for (const body of ['a', 'b']) await send(QueueUrl, body)
    const batch = await receive(QueueUrl, { max: 10 })
    expect(batch.map((m) => m.Body)).toEqual(['old', 'a', 'b'])
    const { Successful, Failed } = await client.deleteMessageBatch({ QueueUrl, Entries: [
      ...batch.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle! })),
      { Id: 'stale', ReceiptHandle: old!.ReceiptHandle! },
    ] })
    expect(Successful!.map((s) => s.Id).sort()).toEqual(['m0', 'm1', 'm2'])
    expect(Failed).toEqual([{ Id: 'stale', SenderFault: true, Code: 'InvalidParameterValue',
      Message: `Value ${old!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.` }])
    expect(await receive(QueueUrl, { max: 10 })).toEqual([])
  })

  it('answers ReceiptHandleIsInvalid (404) for a garbage handle', async () => {
    const QueueUrl = await fifoQueue()
    await expect(client.deleteMessage({ QueueUrl, ReceiptHandle: 'garbage' })).rejects.toMatchObject(sqsError(dialect, {
      name: 'ReceiptHandleIsInvalid', status: 404, message: 'The input receipt handle "garbage" is not a valid receipt handle.',
    }))
  })

  it('ChangeMessageVisibility to 0 puts the message back at the head of its group at once', async () => {
    const QueueUrl = await fifoQueue()
    await send(QueueUrl, 'a')
    await send(QueueUrl, 'b')
    const [message] = await receive(QueueUrl)
    await client.changeMessageVisibility({ QueueUrl, ReceiptHandle: message!.ReceiptHandle!, VisibilityTimeout: 0 })
    expect((await receive(QueueUrl, { max: 10 })).map((m) => m.Body)).toEqual(['a', 'b'])
  })

  it('ChangeMessageVisibility extends the hold on the group, and fails for a deleted message', async () => {
    const QueueUrl = await fifoQueue()
    await send(QueueUrl, 'a')
    const [message] = await receive(QueueUrl, { visibility: 1 })
    await client.changeMessageVisibility({ QueueUrl, ReceiptHandle: message!.ReceiptHandle!, VisibilityTimeout: 30 })
    await pause(1100)
    expect(await receive(QueueUrl)).toEqual([])
    await client.deleteMessage({ QueueUrl, ReceiptHandle: message!.ReceiptHandle! })
    await expect(client.changeMessageVisibility({ QueueUrl, ReceiptHandle: message!.ReceiptHandle!, VisibilityTimeout: 5 })).rejects.toMatchObject(
      invalidParameter(`Value ${message!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`))
  })

  it('ChangeMessageVisibility to 0 on the first message of a batch returns it alone, with other groups, the rest staying in flight', async () => {
    const QueueUrl = await fifoQueue()
    for (const body of ['a', 'b', 'c']) await send(QueueUrl, body)
    const batch = await receive(QueueUrl, { max: 10 })
    expect(batch.map((m) => m.Body)).toEqual(['a', 'b', 'c'])
    await send(QueueUrl, 'x', 'other')
    await client.changeMessageVisibility({ QueueUrl, ReceiptHandle: batch[0]!.ReceiptHandle!, VisibilityTimeout: 0 })
    const again = await receive(QueueUrl, { max: 10 })
    expect(again.map((m) => m.Body).sort()).toEqual(['a', 'x'])
    // b and c are still in flight under the first receive: their handles work
    await client.deleteMessage({ QueueUrl, ReceiptHandle: batch[1]!.ReceiptHandle! })
    await client.changeMessageVisibility({ QueueUrl, ReceiptHandle: batch[2]!.ReceiptHandle!, VisibilityTimeout: 0 })
    for (const message of again) await client.deleteMessage({ QueueUrl, ReceiptHandle: message.ReceiptHandle! })
    expect((await receive(QueueUrl, { max: 10 })).map((m) => m.Body)).toEqual(['c'])
  })

  it('extending one message lets the messages before it come back when their own timeouts end, not those after it', async () => {
    const QueueUrl = await fifoQueue()
    for (const body of ['a', 'b', 'c']) await send(QueueUrl, body)
    const batch = await receive(QueueUrl, { max: 10, visibility: 1 })
    await client.changeMessageVisibility({ QueueUrl, ReceiptHandle: batch[1]!.ReceiptHandle!, VisibilityTimeout: 60 })
    // a's second ends: a comes back (however late this loaded machine gets here); c waits behind b
    let again: Awaited<ReturnType<typeof receive>> = []
    for (let tries = 0; again.length === 0 && tries < 20; tries++) {
      again = (await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 })).Messages ?? []
    }
    expect(again.map((m) => m.Body)).toEqual(['a'])
    await client.deleteMessage({ QueueUrl, ReceiptHandle: again[0]!.ReceiptHandle! })
    expect(await receive(QueueUrl, { max: 10 })).toEqual([])
    await client.changeMessageVisibility({ QueueUrl, ReceiptHandle: batch[1]!.ReceiptHandle!, VisibilityTimeout: 0 })
    expect((await receive(QueueUrl, { max: 10 })).map((m) => m.Body)).toEqual(['b', 'c'])
  })

  it('ChangeMessageVisibilityBatch releases a whole batch', async () => {
    const QueueUrl = await fifoQueue()
    for (const body of ['a', 'b', 'c']) await send(QueueUrl, body)
    const batch = await receive(QueueUrl, { max: 2 })
    const { Successful } = await client.changeMessageVisibilityBatch({ QueueUrl, Entries: batch.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })) })
    expect(Successful).toHaveLength(2)
    expect((await receive(QueueUrl, { max: 10 })).map((m) => m.Body)).toEqual(['a', 'b', 'c'])
  })
})
