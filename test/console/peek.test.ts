/** The console's peek on the engine: pages in send order, states, FIFO groups, the oldest message's age — and nothing changes. */
import { describe, expect, it } from 'vitest'
import type { PeekPage, Queue } from '@dqs/core'
import { accountId, uniqueQueueName } from '../support/clients.js'
import { testEngine } from '../support/engine.js'

const t = testEngine()

async function allStandard(queue: Queue, order: 'oldest' | 'newest', limit: number) {
  const bodies: string[] = []
  let cursor: string | undefined
  let pages = 0
  do {
    const page = await t.engine.peekMessages(queue, { order, limit, cursor })
    if (page.fifo) throw new Error('a standard queue answered groups')
    bodies.push(...page.messages.map((m) => m.body))
    cursor = page.cursor
    pages++
  } while (cursor && pages < 100)
  return { bodies, pages }
}

describe('peek on a standard queue', () => {
  it('pages through every message in send order, both ways, without receiving any', async () => {
    const queue = await t.createQueue()
    const sent: string[] = []
    for (let i = 0; i < 23; i++) {
      sent.push(`m${String(i).padStart(2, '0')}`)
      await t.send(queue, sent.at(-1)!)
      t.clock.advance(2)
    }
    const oldest = await allStandard(queue, 'oldest', 5)
    expect(oldest.bodies).toEqual(sent)
    expect(oldest.pages).toBe(5)
    expect((await allStandard(queue, 'newest', 7)).bodies).toEqual([...sent].reverse())
    // nothing was received: every message is still there, visible, never received
    const page = await t.engine.peekMessages(queue, { order: 'oldest', limit: 100 }) as Extract<PeekPage, { fifo: false }>
    expect(page.messages.every((m) => m.state === 'visible' && m.receiveCount === 0)).toBe(true)
    expect(page.cursor).toBeUndefined()
    expect((await t.receive(queue, { max: 10 })).length).toBe(10)
  })

  it('shows state, receive count, attributes and JSON bodies as stored; deletes one message by its reference', async () => {
    const queue = await t.createQueue({ VisibilityTimeout: '30' })
    await t.engine.sendMessages(queue, [
      { body: '{"a":1}', attributes: { kind: { DataType: 'String', StringValue: 'json' } } },
    ], accountId)
    await t.send(queue, 'later', { delaySeconds: 60 })
    t.clock.advance(5000)
    await t.send(queue, 'received')
    t.clock.advance(5000)
    const [received] = await t.receive(queue, { max: 1, visibilityTimeout: 30 })
    expect(received!.body).toBe('{"a":1}')
    const page = await t.engine.peekMessages(queue, { order: 'oldest', limit: 10 }) as Extract<PeekPage, { fifo: false }>
    const byBody = Object.fromEntries(page.messages.map((m) => [m.body, m]))
    expect(byBody['{"a":1}']).toMatchObject({ state: 'in-flight', receiveCount: 1, until: t.clock.now() + 30_000,
      messageAttributes: { kind: { DataType: 'String', StringValue: 'json' } } })
    expect(byBody['{"a":1}']!.attributes).toMatchObject({ SenderId: accountId, ApproximateReceiveCount: '1' })
    expect(byBody.later).toMatchObject({ state: 'delayed', receiveCount: 0 })
    expect(byBody.received).toMatchObject({ state: 'visible', receiveCount: 0 })
    // a second peek sees the same receive count: peeking is not receiving
    const again = await t.engine.peekMessages(queue, { order: 'oldest', limit: 10 }) as Extract<PeekPage, { fifo: false }>
    expect(again.messages.map((m) => m.receiveCount)).toEqual(page.messages.map((m) => m.receiveCount))
    expect(await t.engine.oldestMessageAge(queue)).toBe(10)

    await t.engine.deletePeekedMessage(queue, byBody.received!.ref)
    await expect(t.engine.deletePeekedMessage(queue, byBody.received!.ref)).rejects.toMatchObject({ name: 'InvalidParameterValueException' })
    const after = await t.engine.peekMessages(queue, { order: 'oldest', limit: 10 }) as Extract<PeekPage, { fifo: false }>
    expect(after.messages.map((m) => m.body).sort()).toEqual(['later', '{"a":1}'])
  })

  it('refuses references and cursors of another queue', async () => {
    const mine = await t.createQueue()
    const other = await t.createQueue()
    await t.send(other, 'not yours')
    const page = await t.engine.peekMessages(other, { order: 'oldest', limit: 1 }) as Extract<PeekPage, { fifo: false }>
    await expect(t.engine.deletePeekedMessage(mine, page.messages[0]!.ref)).rejects.toMatchObject({ name: 'InvalidParameterValueException' })
    await expect(t.engine.peekMessages(mine, { order: 'oldest', limit: 1, cursor: 'garbage' })).rejects.toMatchObject({ name: 'InvalidParameterValueException' })
    expect(await t.engine.oldestMessageAge(mine)).toBeNull()
  })
})

describe('peek on a FIFO queue', () => {
  it('lists groups in receive order with their lock and first messages, without taking any', async () => {
    const queue = await t.engine.createQueue({ accountId, name: uniqueQueueName('peek', true), attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' }, tags: {} })
    for (const group of ['a', 'b', 'c']) {
      for (let i = 0; i < 7; i++) {
        const [result] = await t.engine.sendMessages(queue, [{ body: `${group}${i}`, messageGroupId: group }], accountId)
        expect(result!.ok).toBe(true)
      }
      t.clock.advance(1000)
    }
    const [first] = await t.receive(queue, { max: 1, visibilityTimeout: 30 })
    expect(first!.body).toBe('a0')
    const page = await t.engine.peekMessages(queue, { order: 'oldest', limit: 2 }) as Extract<PeekPage, { fifo: true }>
    expect(page.groups.map((g) => [g.groupId, g.position, g.lock])).toEqual([['b', 1, 'receivable'], ['c', 2, 'receivable']])
    expect(page.groups[0]!.head.map((m) => m.body)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4'])
    expect(page.groups[0]!.messages).toBe(7)
    const next = await t.engine.peekMessages(queue, { order: 'oldest', limit: 2, cursor: page.cursor }) as Extract<PeekPage, { fifo: true }>
    expect(next.groups.map((g) => [g.groupId, g.position, g.lock])).toEqual([['a', 3, 'locked']])
    const a = next.groups[0]!
    expect(a.head[0]).toMatchObject({ body: 'a0', state: 'in-flight', receiveCount: 1 })
    expect(a.until).toBe(t.clock.now() + 30_000)
    const rest = await t.engine.peekGroup(queue, a.more!, 10)
    expect(rest.messages.map((m) => m.body)).toEqual(['a5', 'a6'])
    expect(await t.engine.oldestMessageAge(queue)).toBe(2)

    // the first unreceived message of a group can go; one behind it cannot
    await expect(t.engine.deletePeekedMessage(queue, page.groups[0]!.head[1]!.ref)).rejects.toMatchObject({ name: 'InvalidParameterValueException' })
    await t.engine.deletePeekedMessage(queue, page.groups[0]!.head[0]!.ref)
    // the received one too, while in flight: its group is then receivable again
    await t.engine.deletePeekedMessage(queue, a.head[0]!.ref)
    const bodies: string[] = []
    for (let i = 0; i < 3; i++) bodies.push(...(await t.receive(queue, { max: 10 })).map((m) => m.body))
    expect(bodies.length).toBeGreaterThanOrEqual(12)
    expect(bodies.filter((b) => b.startsWith('a')).slice(0, 1)).toEqual(['a1'])
    expect(bodies.filter((b) => b.startsWith('b')).slice(0, 1)).toEqual(['b1'])
  })
})
