import { describe, expect, it } from 'vitest'
import { bodies, fifoHarness } from './fifo-harness.js'

const h = fifoHarness()

async function queueWithDeadLetterQueue(maxReceiveCount: number) {
  const dlq = await h.queue()
  const arn = (await h.engine.getQueueAttributes(dlq, ['QueueArn'])).QueueArn!
  const source = await h.queue({ VisibilityTimeout: '10', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount }) })
  return { source, dlq, arn }
}

describe('FIFO engine: redrive to a FIFO dead-letter queue', () => {
  it('moves a message received maxReceiveCount times, keeping it whole, and unblocks its group', async () => {
    const { source, dlq } = await queueWithDeadLetterQueue(2)
    const [sent] = await h.engine.sendMessages(source, [{
      body: 'poison', messageGroupId: 'g', messageDeduplicationId: 'p1',
      attributes: { Kind: { DataType: 'String', StringValue: 'bad' } },
    }], 'tester')
    await h.send(source, 'next', 'g')
    for (let i = 0; i < 2; i++) {
      expect(bodies(await h.receive(source, 1))).toEqual(['poison'])
      h.clock.advance(10_000)
    }
    expect(bodies(await h.receive(source, 1))).toEqual(['next'])
    const [moved] = await h.receive(dlq, 10)
    expect(moved).toMatchObject({
      body: 'poison', messageGroupId: 'g', messageDeduplicationId: 'p1', receiveCount: 1,
      attributes: { Kind: { DataType: 'String', StringValue: 'bad' } },
      deadLetterQueueSourceArn: (await h.engine.getQueueAttributes(source, ['QueueArn'])).QueueArn,
    })
    expect(moved!.messageId).toBe(sent!.ok && sent!.value.messageId)
    expect(moved!.sequenceNumber).toMatch(/^\d{20}$/)
  })

  it('moves a message exactly once when several receives race for it, and never delivers it from the source', async () => {
    const { source, dlq } = await queueWithDeadLetterQueue(1)
    await h.send(source, 'poison', 'g')
    await h.receive(source, 1)
    h.clock.advance(10_000)
    // several receives race for the move: exactly one copy ends up in the DLQ and none is delivered from the source
    const fromSource = (await Promise.all(Array.from({ length: 5 }, () => h.receive(source, 10)))).flat()
    expect(fromSource).toEqual([])
    expect(bodies(await h.receive(dlq, 10))).toEqual(['poison'])
    await expect.poll(() => h.engine.approximateCounts(source), { timeout: 10_000 }).toEqual({ visible: 0, notVisible: 0, delayed: 0 })
  })

  it('keeps the group order in the dead-letter queue', async () => {
    const { source, dlq } = await queueWithDeadLetterQueue(1)
    for (const body of ['1', '2', '3']) await h.send(source, body, 'g')
    await h.receive(source, 3)
    h.clock.advance(10_000)
    expect(await h.receive(source, 10)).toEqual([])
    expect(bodies(await h.receive(dlq, 10))).toEqual(['1', '2', '3'])
  })

  it('refuses a standard queue as the dead-letter queue of a FIFO queue', async () => {
    const standard = await h.engine.createQueue({ accountId: '000000000000', name: `std-${Date.now()}`, attributes: {}, tags: {} })
    const arn = (await h.engine.getQueueAttributes(standard, ['QueueArn'])).QueueArn!
    const source = await h.queue()
    await expect(h.engine.setQueueAttributes(source, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 1 }) }))
      .rejects.toMatchObject({ queryCode: 'InvalidParameterValue', message: expect.stringContaining('Dead-letter queue must be same type of queue as the source.') })
  })
})
