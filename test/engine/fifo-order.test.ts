import { describe, expect, it } from 'vitest'
import { bodies, fifoHarness } from './fifo-harness.js'

const h = fifoHarness()

describe('FIFO engine: order within and across message groups', () => {
  it('fills a receive from the oldest group first, as many of its messages as it can, then the next', async () => {
    const queue = await h.queue()
    for (const [group, body] of [['g1', 'g1-m1'], ['g2', 'g2-m1'], ['g2', 'g2-m2'], ['g3', 'g3-m1'], ['g1', 'g1-m2']]) {
      await h.send(queue, body!, group!)
      h.clock.advance(1) // distinct send times: "oldest" is by time (same-millisecond sends to different groups have no order)
    }
    expect(bodies(await h.receive(queue, 3))).toEqual(['g1-m1', 'g1-m2', 'g2-m1'])
    // g1 and g2 are held; only g3 is left
    expect(bodies(await h.receive(queue, 10))).toEqual(['g3-m1'])
  })

  it('delivers nothing more of a group while any of its messages is in flight, then continues in order', async () => {
    const queue = await h.queue()
    for (const body of ['a', 'b', 'c']) await h.send(queue, body, 'g')
    const first = await h.receive(queue, 1)
    expect(bodies(first)).toEqual(['a'])
    expect(await h.receive(queue, 10)).toEqual([])
    await h.engine.deleteMessage(queue, first[0]!.receiptHandle)
    expect(bodies(await h.receive(queue, 10))).toEqual(['b', 'c'])
  })

  it('gives sequence numbers of 20 digits that grow within a group, on send and on receive', async () => {
    const queue = await h.queue()
    const sent = []
    for (const body of ['1', '2', '3']) sent.push(await h.send(queue, body, 'g'))
    h.clock.advance(5)
    sent.push(await h.send(queue, '4', 'g'))
    for (const { sequenceNumber } of sent) expect(sequenceNumber).toMatch(/^\d{20}$/)
    for (let i = 1; i < sent.length; i++) expect(BigInt(sent[i]!.sequenceNumber) > BigInt(sent[i - 1]!.sequenceNumber)).toBe(true)
    const received = await h.receive(queue, 10)
    expect(received.map((m) => m.sequenceNumber)).toEqual(sent.map((s) => s.sequenceNumber))
    expect(received.map((m) => m.messageId)).toEqual(sent.map((s) => s.messageId))
  })

  it('frees the group at once after a receive with VisibilityTimeout=0', async () => {
    const queue = await h.queue()
    await h.send(queue, 'a', 'g')
    await h.send(queue, 'b', 'g')
    expect(bodies(await h.receive(queue, 1, 0))).toEqual(['a'])
    const again = await h.receive(queue, 10)
    expect(bodies(again)).toEqual(['a', 'b'])
    expect(again.map((m) => m.receiveCount)).toEqual([2, 1])
  })

  it('puts a message whose visibility ended back at the head of its group, with its receive count', async () => {
    const queue = await h.queue({ VisibilityTimeout: '30' })
    for (const body of ['a', 'b', 'c']) await h.send(queue, body, 'g')
    const batch = await h.receive(queue, 2)
    expect(bodies(batch)).toEqual(['a', 'b'])
    await h.engine.deleteMessage(queue, batch[1]!.receiptHandle) // b done, a left to time out
    h.clock.advance(29_999)
    expect(await h.receive(queue, 10)).toEqual([])
    h.clock.advance(1)
    const next = await h.receive(queue, 10)
    expect(bodies(next)).toEqual(['a', 'c'])
    expect(next.map((m) => m.receiveCount)).toEqual([2, 1])
    expect(next[0]!.firstReceiveAt).toBe(batch[0]!.firstReceiveAt)
  })

  it('keeps groups independent: a held group does not hold back the others', async () => {
    const queue = await h.queue()
    await h.send(queue, 'x1', 'x')
    await h.send(queue, 'x2', 'x')
    h.clock.advance(1)
    await h.send(queue, 'y1', 'y')
    expect(bodies(await h.receive(queue, 1))).toEqual(['x1'])
    expect(bodies(await h.receive(queue, 10))).toEqual(['y1'])
  })

  it('applies the queue delay to every message and delivers none of a group before its head is visible', async () => {
    const queue = await h.queue({ DelaySeconds: '10' })
    await h.send(queue, 'a', 'g')
    h.clock.advance(5000)
    await h.send(queue, 'b', 'g')
    expect(await h.receive(queue, 10)).toEqual([])
    h.clock.advance(5000)
    expect(bodies(await h.receive(queue, 10))).toEqual(['a'])
  })

  it('drops messages past the retention period and moves the group on', async () => {
    const queue = await h.queue({ MessageRetentionPeriod: '60' })
    await h.send(queue, 'old', 'g')
    h.clock.advance(30_000)
    await h.send(queue, 'new', 'g')
    h.clock.advance(30_000)
    expect(bodies(await h.receive(queue, 10))).toEqual(['new'])
  })

  it('receives across many groups and message sizes, big bodies included', async () => {
    const queue = await h.queue()
    const big = 'x'.repeat(700_000) + 'é'.repeat(100_000)
    await h.send(queue, big, 'big')
    await h.send(queue, 'small', 'big')
    const got = await h.receive(queue, 10)
    expect(got.map((m) => m.body.length)).toEqual([big.length, 5])
    expect(got[0]!.body === big).toBe(true)
  })
})
