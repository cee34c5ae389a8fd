import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { bodies, fifoHarness } from './fifo-harness.js'

const h = fifoHarness()
const fiveMinutes = 5 * 60_000

describe('FIFO engine: the 5-minute deduplication window', () => {
  it('accepts a repeat within 5 minutes without delivering it again, answering with the first copy', async () => {
    const queue = await h.queue()
    const first = await h.send(queue, 'one', 'g', { dedup: 'd1' })
    h.clock.advance(fiveMinutes - 1)
    const repeat = await h.send(queue, 'one again', 'g', { dedup: 'd1' })
    expect(repeat).toEqual(first)
    expect(bodies(await h.receive(queue, 10))).toEqual(['one'])
  })

  it('still deduplicates after the first copy was deleted', async () => {
    const queue = await h.queue()
    const first = await h.send(queue, 'one', 'g', { dedup: 'd1' })
    const [message] = await h.receive(queue)
    await h.engine.deleteMessage(queue, message!.receiptHandle)
    expect(await h.send(queue, 'one', 'g', { dedup: 'd1' })).toEqual(first)
    expect(await h.receive(queue)).toEqual([])
  })

  it('takes the same id as a new message once 5 minutes have passed', async () => {
    const queue = await h.queue()
    const first = await h.send(queue, 'one', 'g', { dedup: 'd1' })
    h.clock.advance(fiveMinutes)
    const second = await h.send(queue, 'two', 'g', { dedup: 'd1' })
    expect(second.messageId).not.toBe(first.messageId)
    expect(BigInt(second.sequenceNumber) > BigInt(first.sequenceNumber)).toBe(true)
    expect(bodies(await h.receive(queue, 10))).toEqual(['one', 'two'])
  })

  it('deduplicates across groups with DeduplicationScope=queue (the default)', async () => {
    const queue = await h.queue()
    await h.send(queue, 'in g1', 'g1', { dedup: 'same' })
    await h.send(queue, 'in g2', 'g2', { dedup: 'same' })
    expect(bodies(await h.receive(queue, 10))).toEqual(['in g1'])
  })

  it('deduplicates per group with DeduplicationScope=messageGroup', async () => {
    const queue = await h.queue({ DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' })
    await h.send(queue, 'in g1', 'g1', { dedup: 'same' })
    h.clock.advance(1)
    await h.send(queue, 'in g2', 'g2', { dedup: 'same' })
    await h.send(queue, 'in g2 again', 'g2', { dedup: 'same' })
    // group ids that would collide if the key were joined naively
    await h.send(queue, 'a#b', 'a#b', { dedup: 'c' })
    await h.send(queue, 'a', 'a', { dedup: 'b#c' })
    expect(bodies(await h.receive(queue, 10)).sort()).toEqual(['a', 'a#b', 'in g1', 'in g2'])
  })

  it('keeps matching ids recorded before a DeduplicationScope change as they were recorded, for their 5 minutes', async () => {
    let queue = await h.queue()
    const first = await h.send(queue, 'queue-wide', 'g1', { dedup: 'q' })
    h.clock.advance(1_000)
    await h.engine.setQueueAttributes(queue, { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' })
    queue = await h.reload(queue)
    const perGroup = await h.send(queue, 'per group', 'g1', { dedup: 'm' })
    // recorded queue-wide: still a duplicate in another group
    expect(await h.send(queue, 'queue-wide again', 'g2', { dedup: 'q' })).toEqual(first)
    h.clock.advance(1_000)
    await h.engine.setQueueAttributes(queue, { DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' })
    queue = await h.reload(queue)
    // recorded per group: a duplicate in its own group only
    expect(await h.send(queue, 'per group again', 'g1', { dedup: 'm' })).toEqual(perGroup)
    await h.send(queue, 'other group', 'g2', { dedup: 'm' })
    expect(bodies(await h.receive(queue, 10)).sort()).toEqual(['other group', 'per group', 'queue-wide'])
    h.clock.advance(fiveMinutes)
    await h.send(queue, 'queue-wide later', 'g3', { dedup: 'q' })
    expect(bodies(await h.receive(queue, 10))).toContain('queue-wide later')
  })

  it('uses the SHA-256 of the body with ContentBasedDeduplication, and returns it as the dedup id', async () => {
    const queue = await h.queue({ ContentBasedDeduplication: 'true' })
    const send = (body: string) => h.engine.sendMessages(queue, [{ body, messageGroupId: 'g' }], 'tester')
    const [first] = await send('same body')
    const [again] = await send('same body')
    await send('other body')
    expect(again!.ok && first!.ok && again!.value.messageId === first!.value.messageId).toBe(true)
    const received = await h.receive(queue, 10)
    expect(bodies(received)).toEqual(['same body', 'other body'])
    expect(received[0]!.messageDeduplicationId).toBe(createHash('sha256').update('same body').digest('hex'))
  })

  it('prefers an explicit MessageDeduplicationId over the content hash', async () => {
    const queue = await h.queue({ ContentBasedDeduplication: 'true' })
    await h.send(queue, 'same body', 'g', { dedup: 'x' })
    await h.send(queue, 'same body', 'g', { dedup: 'y' })
    expect(bodies(await h.receive(queue, 10))).toEqual(['same body', 'same body'])
  })

  it('clears the window on PurgeQueue', async () => {
    let queue = await h.queue()
    const first = await h.send(queue, 'before', 'g', { dedup: 'd1' })
    await h.engine.purgeQueue(queue)
    queue = await h.reload(queue)
    const after = await h.send(queue, 'after', 'g', { dedup: 'd1' })
    expect(after.messageId).not.toBe(first.messageId)
    expect(bodies(await h.receive(queue, 10))).toEqual(['after'])
  })

  it('in a batch, answers a duplicate entry with the first copy and sends the others of its group in order', async () => {
    const queue = await h.queue()
    const earlier = await h.send(queue, 'earlier', 'g', { dedup: 'd-old' })
    const entries = [
      { body: 'new 1', messageGroupId: 'g', messageDeduplicationId: 'd-new-1' },
      { body: 'again', messageGroupId: 'g', messageDeduplicationId: 'd-old' },
      { body: 'new 2', messageGroupId: 'g', messageDeduplicationId: 'd-new-2' },
      { body: 'repeat of new 1', messageGroupId: 'g', messageDeduplicationId: 'd-new-1' },
      { body: 'other group', messageGroupId: 'h', messageDeduplicationId: 'd-old' },
    ]
    const results = await h.engine.sendMessages(queue, entries, 'tester', { batch: true })
    const values = results.map((r) => (r.ok ? r.value : null))
    expect(values.every(Boolean)).toBe(true)
    expect(values[1]).toMatchObject({ messageId: earlier.messageId, sequenceNumber: earlier.sequenceNumber })
    expect(values[3]).toMatchObject({ messageId: values[0]!.messageId, sequenceNumber: values[0]!.sequenceNumber })
    expect(BigInt(values[2]!.sequenceNumber!) > BigInt(values[0]!.sequenceNumber!)).toBe(true)
    // queue scope: an id already used in group g is a duplicate in group h too
    expect(values[4]).toMatchObject({ messageId: earlier.messageId, sequenceNumber: earlier.sequenceNumber })
    expect(bodies(await h.receive(queue, 10))).toEqual(['earlier', 'new 1', 'new 2'])
  })

  it('rejects a send with neither ContentBasedDeduplication nor a MessageDeduplicationId', async () => {
    const queue = await h.queue()
    const [result] = await h.engine.sendMessages(queue, [{ body: 'x', messageGroupId: 'g' }], 'tester')
    expect(result).toMatchObject({
      ok: false,
      error: { queryCode: 'InvalidParameterValue', message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly' },
    })
  })
})
