import { addSendMiddleware, removeSendMiddleware } from '@dqs/core'
import { describe, expect, it } from 'vitest'
import { bodies, fifoHarness } from './fifo-harness.js'

const h = fifoHarness()

const expired = (handle: string) => ({
  queryCode: 'InvalidParameterValue',
  message: `Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
})
const unavailable = (handle: string) => ({
  queryCode: 'InvalidParameterValue',
  message: `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
})

describe('FIFO engine: DeleteMessage', () => {
  it('rejects a handle whose visibility timeout has expired, and the message comes back', async () => {
    const queue = await h.queue({ VisibilityTimeout: '10' })
    await h.send(queue, 'a', 'g')
    const [message] = await h.receive(queue)
    h.clock.advance(10_000)
    await expect(h.engine.deleteMessage(queue, message!.receiptHandle)).rejects.toMatchObject(expired(message!.receiptHandle))
    expect(bodies(await h.receive(queue))).toEqual(['a'])
  })

  it('rejects the handle of an earlier receive once the message was received again', async () => {
    const queue = await h.queue({ VisibilityTimeout: '10' })
    await h.send(queue, 'a', 'g')
    const [first] = await h.receive(queue)
    h.clock.advance(10_000)
    const [second] = await h.receive(queue)
    await expect(h.engine.deleteMessage(queue, first!.receiptHandle)).rejects.toMatchObject(expired(first!.receiptHandle))
    await h.engine.deleteMessage(queue, second!.receiptHandle)
    h.clock.advance(10_000)
    expect(await h.receive(queue)).toEqual([])
  })

  it('treats a repeated delete of the same handle as success (an SDK retry of a delete that landed)', async () => {
    const queue = await h.queue()
    await h.send(queue, 'a', 'g')
    const [message] = await h.receive(queue)
    await h.engine.deleteMessage(queue, message!.receiptHandle)
    await h.engine.deleteMessage(queue, message!.receiptHandle)
  })

  it('deletes a whole batch at once (DeleteMessageBatch) and unlocks the group for the next messages', async () => {
    const queue = await h.queue()
    for (const body of ['1', '2', '3', '4']) await h.send(queue, body, 'g')
    const batch = await h.receive(queue, 3)
    await Promise.all(batch.map((m) => h.engine.deleteMessage(queue, m.receiptHandle)))
    expect(bodies(await h.receive(queue, 10))).toEqual(['4'])
  })

  it('applies the deletes of one batch request to the group item with one read and one write', async () => {
    const queue = await h.queue()
    for (const body of ['1', '2', '3']) await h.send(queue, body, 'g')
    const batch = await h.receive(queue, 3)
    const calls: string[] = []
    addSendMiddleware(h.engine.deps.db, (next, context) => async (args) => {
      calls.push(context.commandName as string)
      return next(args)
    }, { name: 'countCalls' })
    try {
      // as DeleteMessageBatch calls them: all in the same turn
      await Promise.all(batch.map((m) => h.engine.deleteMessage(queue, m.receiptHandle)))
    } finally {
      removeSendMiddleware(h.engine.deps.db, 'countCalls')
    }
    expect(calls.filter((c) => c === 'GetItemCommand')).toHaveLength(1)
    expect(calls.filter((c) => c === 'UpdateItemCommand')).toHaveLength(1)
    expect(calls.filter((c) => c === 'DeleteItemCommand')).toHaveLength(3) // the message items
  })

  it('keeps the group locked until every message of the batch is deleted', async () => {
    const queue = await h.queue()
    for (const body of ['1', '2', '3']) await h.send(queue, body, 'g')
    const batch = await h.receive(queue, 2)
    await h.engine.deleteMessage(queue, batch[0]!.receiptHandle)
    expect(await h.receive(queue, 10)).toEqual([])
    await h.engine.deleteMessage(queue, batch[1]!.receiptHandle)
    expect(bodies(await h.receive(queue, 10))).toEqual(['3'])
  })

  it('answers ReceiptHandleIsInvalid for a handle of another queue', async () => {
    const queue = await h.queue()
    const other = await h.queue()
    await h.send(queue, 'a', 'g')
    const [message] = await h.receive(queue)
    await expect(h.engine.deleteMessage(other, message!.receiptHandle)).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' })
  })
})

describe('FIFO engine: ChangeMessageVisibility', () => {
  it('extends the visibility: the group delivers nothing behind an invisible head', async () => {
    const queue = await h.queue({ VisibilityTimeout: '10' })
    await h.send(queue, 'a', 'g')
    const [message] = await h.receive(queue)
    await h.engine.changeMessageVisibility(queue, message!.receiptHandle, 60)
    h.clock.advance(30_000)
    expect(await h.receive(queue)).toEqual([])
    await h.engine.deleteMessage(queue, message!.receiptHandle)
  })

  it('with 0 makes the message visible again at once, at the head of its group', async () => {
    const queue = await h.queue()
    await h.send(queue, 'a', 'g')
    await h.send(queue, 'b', 'g')
    const [message] = await h.receive(queue, 1)
    await h.engine.changeMessageVisibility(queue, message!.receiptHandle, 0)
    expect(bodies(await h.receive(queue, 10))).toEqual(['a', 'b'])
  })

  it('applies per message: a message made visible at the head comes back alone while the rest stays in flight', async () => {
    const queue = await h.queue()
    for (const body of ['a', 'b', 'c']) await h.send(queue, body, 'g')
    const [a, b, c] = await h.receive(queue, 3)
    expect(bodies([a!, b!, c!])).toEqual(['a', 'b', 'c'])
    await h.send(queue, 'x', 'other')
    await h.engine.changeMessageVisibility(queue, a!.receiptHandle, 0)
    const again = await h.receive(queue, 10)
    expect(bodies(again).sort()).toEqual(['a', 'x'])
    expect(again.find((m) => m.body === 'a')!.receiveCount).toBe(2)
    // the old handle of a is now expired; b and c stay in flight under the first receive's handles
    await expect(h.engine.deleteMessage(queue, a!.receiptHandle)).rejects.toMatchObject(expired(a!.receiptHandle))
    await h.engine.deleteMessage(queue, b!.receiptHandle)
    await h.engine.deleteMessage(queue, again.find((m) => m.body === 'a')!.receiptHandle)
    expect(await h.receive(queue, 10)).toEqual([])
    await h.engine.changeMessageVisibility(queue, c!.receiptHandle, 0)
    expect(bodies(await h.receive(queue, 10))).toEqual(['c'])
  })

  it('applies per message: a message behind one still in flight stays hidden after its own timeout', async () => {
    const queue = await h.queue({ VisibilityTimeout: '10' })
    for (const body of ['a', 'b', 'c']) await h.send(queue, body, 'g')
    const [, b] = await h.receive(queue, 3)
    await h.engine.changeMessageVisibility(queue, b!.receiptHandle, 60)
    h.clock.advance(10_000)
    // a's timeout ended: it comes back; b is still invisible, so c (whose timeout also ended) waits behind it
    const [a] = await h.receive(queue, 10)
    expect(a?.body).toBe('a')
    await h.engine.deleteMessage(queue, a!.receiptHandle)
    h.clock.advance(49_000)
    expect(await h.receive(queue, 10)).toEqual([])
    h.clock.advance(2_000)
    expect(bodies(await h.receive(queue, 10))).toEqual(['b', 'c'])
  })

  it('succeeds on a message whose visibility already expired, while no other receive has taken it', async () => {
    const queue = await h.queue({ VisibilityTimeout: '10' })
    await h.send(queue, 'a', 'g')
    const [message] = await h.receive(queue)
    h.clock.advance(15_000)
    await h.engine.changeMessageVisibility(queue, message!.receiptHandle, 30)
    expect(await h.receive(queue)).toEqual([])
    await h.engine.deleteMessage(queue, message!.receiptHandle)
  })

  it('fails for a deleted message and for a message received again since', async () => {
    const queue = await h.queue({ VisibilityTimeout: '10' })
    await h.send(queue, 'a', 'g')
    await h.send(queue, 'b', 'g')
    const [a] = await h.receive(queue, 1)
    await h.engine.deleteMessage(queue, a!.receiptHandle)
    await expect(h.engine.changeMessageVisibility(queue, a!.receiptHandle, 5)).rejects.toMatchObject(unavailable(a!.receiptHandle))
    const [b1] = await h.receive(queue, 1)
    h.clock.advance(10_000)
    await h.receive(queue, 1)
    await expect(h.engine.changeMessageVisibility(queue, b1!.receiptHandle, 5)).rejects.toMatchObject(unavailable(b1!.receiptHandle))
  })

  it('caps the total visibility at 12 hours from the receive', async () => {
    const queue = await h.queue()
    await h.send(queue, 'a', 'g')
    const [message] = await h.receive(queue)
    h.clock.advance(60_000)
    await expect(h.engine.changeMessageVisibility(queue, message!.receiptHandle, 43_200)).rejects.toMatchObject({
      message: 'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds].',
    })
    await h.engine.changeMessageVisibility(queue, message!.receiptHandle, 43_140)
  })
})
