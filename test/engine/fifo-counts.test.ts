import { describe, expect, it } from 'vitest'
import { fifoHarness } from './fifo-harness.js'

const h = fifoHarness()

/** Counts are a snapshot refreshed at most once a second (same freshness rule as standard queues). */
async function counts(queue: Parameters<typeof h.engine.approximateCounts>[0]) {
  h.clock.advance(1001)
  return h.engine.approximateCounts(queue)
}

describe('FIFO engine: approximate counts', () => {
  it('counts visible, in-flight and delayed messages across groups', async () => {
    const queue = await h.queue()
    for (const body of ['a', 'b', 'c']) await h.send(queue, body, 'g1')
    for (const body of ['d', 'e']) await h.send(queue, body, 'g2')
    expect(await counts(queue)).toEqual({ visible: 5, notVisible: 0, delayed: 0 })
    const received = await h.receive(queue, 2, 600)
    // g1's third message waits behind the batch but is available, as SQS counts it
    expect(await counts(queue)).toEqual({ visible: 3, notVisible: 2, delayed: 0 })
    await h.engine.deleteMessage(queue, received[0]!.receiptHandle)
    expect(await counts(queue)).toEqual({ visible: 3, notVisible: 1, delayed: 0 })
  })

  it('counts messages within the queue delay as delayed', async () => {
    const queue = await h.queue({ DelaySeconds: '30' })
    await h.send(queue, 'a', 'g')
    await h.send(queue, 'b', 'g2')
    expect(await counts(queue)).toEqual({ visible: 0, notVisible: 0, delayed: 2 })
    h.clock.advance(30_000)
    expect(await counts(queue)).toEqual({ visible: 2, notVisible: 0, delayed: 0 })
  })

  it('drops to zero when every group is drained, and after a purge', async () => {
    let queue = await h.queue()
    await h.send(queue, 'a', 'g')
    const [message] = await h.receive(queue)
    await h.engine.deleteMessage(queue, message!.receiptHandle)
    expect(await counts(queue)).toEqual({ visible: 0, notVisible: 0, delayed: 0 })
    await h.send(queue, 'b', 'g')
    await h.engine.purgeQueue(queue)
    queue = await h.reload(queue)
    expect(await counts(queue)).toEqual({ visible: 0, notVisible: 0, delayed: 0 })
  })

  it('reports the counts through GetQueueAttributes', async () => {
    const queue = await h.queue()
    await h.send(queue, 'a', 'g')
    h.clock.advance(1001)
    expect(await h.engine.getQueueAttributes(queue, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']))
      .toEqual({ ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0' })
  })
})
