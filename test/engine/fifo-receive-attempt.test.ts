import { describe, expect, it } from 'vitest'
import { bodies, fifoHarness } from './fifo-harness.js'

const h = fifoHarness()

describe('FIFO engine: ReceiveRequestAttemptId', () => {
  it('returns the same messages and receipt handles to a retried receive', async () => {
    const queue = await h.queue()
    for (const body of ['a', 'b']) await h.send(queue, body, 'g1')
    h.clock.advance(1)
    await h.send(queue, 'c', 'g2')
    const first = await h.receive(queue, 10, undefined, 'attempt-1')
    h.clock.advance(1000)
    const retried = await h.receive(queue, 10, undefined, 'attempt-1')
    expect(bodies(retried)).toEqual(['a', 'b', 'c'])
    expect(retried.map((m) => m.receiptHandle)).toEqual(first.map((m) => m.receiptHandle))
    expect(retried.map((m) => m.receiveCount)).toEqual([1, 1, 1])
  })

  it('leaves out the messages deleted since, and receives afresh once none is left', async () => {
    const queue = await h.queue()
    for (const body of ['a', 'b', 'c']) await h.send(queue, body, 'g')
    const first = await h.receive(queue, 2, undefined, 'attempt-2')
    await h.engine.deleteMessage(queue, first[0]!.receiptHandle)
    expect(bodies(await h.receive(queue, 2, undefined, 'attempt-2'))).toEqual(['b'])
    await h.engine.deleteMessage(queue, first[1]!.receiptHandle)
    expect(bodies(await h.receive(queue, 2, undefined, 'attempt-2'))).toEqual(['c'])
  })

  it('does not return messages whose visibility timed out: they are received again, with new handles', async () => {
    const queue = await h.queue({ VisibilityTimeout: '10' })
    await h.send(queue, 'a', 'g')
    const [first] = await h.receive(queue, 1, undefined, 'attempt-3')
    h.clock.advance(10_000)
    const [again] = await h.receive(queue, 1, undefined, 'attempt-3')
    expect(again!.body).toBe('a')
    expect(again!.receiptHandle).not.toBe(first!.receiptHandle)
    expect(again!.receiveCount).toBe(2)
  })

  it('forgets an attempt after 5 minutes', async () => {
    const queue = await h.queue({ VisibilityTimeout: '600' })
    await h.send(queue, 'a', 'g1')
    h.clock.advance(1)
    await h.send(queue, 'b', 'g2')
    expect(bodies(await h.receive(queue, 1, undefined, 'attempt-4'))).toEqual(['a'])
    h.clock.advance(5 * 60_000)
    expect(bodies(await h.receive(queue, 1, undefined, 'attempt-4'))).toEqual(['b'])
  })

  it('keeps attempts of different ids apart', async () => {
    const queue = await h.queue()
    await h.send(queue, 'a', 'g1')
    h.clock.advance(1)
    await h.send(queue, 'b', 'g2')
    expect(bodies(await h.receive(queue, 1, undefined, 'x'))).toEqual(['a'])
    expect(bodies(await h.receive(queue, 1, undefined, 'y'))).toEqual(['b'])
  })

  it('rejects an attempt id with characters SQS does not allow', async () => {
    const queue = await h.queue()
    await expect(h.receive(queue, 1, undefined, 'has space')).rejects.toMatchObject({
      queryCode: 'InvalidParameterValue',
      message: 'Value has space for parameter ReceiveRequestAttemptId is invalid. Reason: ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
    })
  })
})
