import { describe, expect, it } from 'vitest'
import { fifoHarness } from './fifo-harness.js'

const h = fifoHarness()

type Queue = Parameters<typeof h.engine.approximateCounts>[0]

/** Counts follow the messages stream: a fraction of a second behind the activity. */
const settled = (queue: Queue, expected: { visible: number; notVisible: number; delayed: number }) =>
  expect.poll(() => h.engine.approximateCounts(queue), { timeout: 10_000, interval: 100 }).toEqual(expected)

describe('FIFO engine: approximate counts', () => {
  it('counts visible, in-flight and delayed messages across groups', async () => {
    const queue = await h.queue()
    for (const body of ['a', 'b', 'c']) await h.send(queue, body, 'g1')
    for (const body of ['d', 'e']) await h.send(queue, body, 'g2')
    await settled(queue, { visible: 5, notVisible: 0, delayed: 0 })
    const received = await h.receive(queue, 2, 600)
    // g1's third message waits behind the batch but is available, as SQS counts it
    await settled(queue, { visible: 3, notVisible: 2, delayed: 0 })
    await h.engine.deleteMessage(queue, received[0]!.receiptHandle)
    await settled(queue, { visible: 3, notVisible: 1, delayed: 0 })
  })

  it('counts messages within the queue delay as delayed', async () => {
    const queue = await h.queue({ DelaySeconds: '30' })
    await h.send(queue, 'a', 'g')
    await h.send(queue, 'b', 'g2')
    await settled(queue, { visible: 0, notVisible: 0, delayed: 2 })
    h.clock.advance(30_000)
    expect(await h.engine.approximateCounts(queue)).toEqual({ visible: 2, notVisible: 0, delayed: 0 })
  })

  it('drops to zero when every group is drained, and after a purge', async () => {
    let queue = await h.queue()
    await h.send(queue, 'a', 'g')
    await settled(queue, { visible: 1, notVisible: 0, delayed: 0 })
    const [message] = await h.receive(queue)
    await h.engine.deleteMessage(queue, message!.receiptHandle)
    await settled(queue, { visible: 0, notVisible: 0, delayed: 0 })
    await h.send(queue, 'b', 'g')
    await h.engine.purgeQueue(queue)
    queue = await h.reload(queue)
    await settled(queue, { visible: 0, notVisible: 0, delayed: 0 })
  })

  it('reports the counts through GetQueueAttributes', async () => {
    const queue = await h.queue()
    await h.send(queue, 'a', 'g')
    await expect.poll(() => h.engine.getQueueAttributes(queue, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']), { timeout: 10_000 })
      .toEqual({ ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0' })
  })
})
