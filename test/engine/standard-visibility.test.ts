import { afterAll, describe, expect, it } from 'vitest'
import { testEngine } from '../support/engine.js'

const { engine, clock, db, createQueue, send, receive } = testEngine()
afterAll(() => db.destroy())

describe('standard queue visibility (manual clock)', () => {
  it('hides a received message until its visibility timeout has passed, to the millisecond', async () => {
    const queue = await createQueue({ VisibilityTimeout: '30' })
    await send(queue, 'hidden')
    expect(await receive(queue)).toHaveLength(1)
    clock.advance(29_999)
    expect(await receive(queue)).toHaveLength(0)
    clock.advance(1)
    const [again] = await receive(queue)
    expect(again).toMatchObject({ body: 'hidden', receiveCount: 2 })
  })

  it('uses a receive’s own visibility timeout over the queue’s', async () => {
    const queue = await createQueue({ VisibilityTimeout: '30' })
    await send(queue, 'short')
    await receive(queue, { visibilityTimeout: 5 })
    clock.advance(5_000)
    expect(await receive(queue)).toHaveLength(1)
  })

  it('counts a changed visibility timeout from the change, extending it', async () => {
    const queue = await createQueue({ VisibilityTimeout: '30' })
    await send(queue, 'extended')
    const [message] = await receive(queue)
    clock.advance(20_000)
    await engine.changeMessageVisibility(queue, message!.receiptHandle, 60)
    clock.advance(59_999)
    expect(await receive(queue)).toHaveLength(0)
    clock.advance(1)
    expect(await receive(queue)).toHaveLength(1)
  })

  it('shortens a visibility timeout', async () => {
    const queue = await createQueue({ VisibilityTimeout: '600' })
    await send(queue, 'shortened')
    const [message] = await receive(queue)
    await engine.changeMessageVisibility(queue, message!.receiptHandle, 10)
    clock.advance(10_000)
    expect(await receive(queue)).toHaveLength(1)
  })

  it('applies a handle after expiry, and after the message was received again (as SQS does)', async () => {
    const queue = await createQueue({ VisibilityTimeout: '30' })
    await send(queue, 'expired')
    const [first] = await receive(queue)
    clock.advance(31_000)
    await engine.changeMessageVisibility(queue, first!.receiptHandle, 30)
    expect(await receive(queue)).toHaveLength(0)
    clock.advance(30_000)
    const [second] = await receive(queue)
    expect(second!.receiveCount).toBe(2)
    await engine.changeMessageVisibility(queue, first!.receiptHandle, 0)
    const [third] = await receive(queue)
    expect(third!.receiveCount).toBe(3)
    await engine.deleteMessage(queue, third!.receiptHandle)
    await expect(engine.changeMessageVisibility(queue, first!.receiptHandle, 30)).rejects.toMatchObject({
      queryCode: 'InvalidParameterValue', message: expect.stringContaining('Message does not exist or is not available for visibility timeout change.'),
    })
  })

  it('caps the total visibility at 12 hours from the receive, however it is extended', async () => {
    const queue = await createQueue()
    await send(queue, 'capped')
    const [message] = await receive(queue, { visibilityTimeout: 43_200 })
    clock.advance(6 * 3_600_000)
    await engine.changeMessageVisibility(queue, message!.receiptHandle, 6 * 3600)
    await expect(engine.changeMessageVisibility(queue, message!.receiptHandle, 6 * 3600 + 1)).rejects.toMatchObject({
      queryCode: 'InvalidParameterValue',
      message: `Value ${6 * 3600 + 1} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds].`,
    })
  })

  it('starts a new 12-hour budget with each receive', async () => {
    const queue = await createQueue()
    await send(queue, 'budget')
    await receive(queue, { visibilityTimeout: 43_200 })
    clock.advance(43_200_000)
    const [again] = await receive(queue, { visibilityTimeout: 60 })
    await engine.changeMessageVisibility(queue, again!.receiptHandle, 43_200)
  })

  it('deletes with a stale handle after the message was received again', async () => {
    const queue = await createQueue({ VisibilityTimeout: '30' })
    await send(queue, 'stale')
    const [first] = await receive(queue)
    clock.advance(30_000)
    await receive(queue)
    await engine.deleteMessage(queue, first!.receiptHandle)
    clock.advance(30_000)
    expect(await receive(queue)).toHaveLength(0)
  })

  it('keeps the first-receive time and counts every receive', async () => {
    const queue = await createQueue({ VisibilityTimeout: '1' })
    await send(queue, 'counted')
    const firstAt = clock.now()
    for (let count = 1; count <= 3; count++) {
      const [message] = await receive(queue)
      expect(message).toMatchObject({ receiveCount: count, firstReceiveAt: firstAt })
      clock.advance(1_000)
    }
  })
})
