import { afterAll, describe, expect, it } from 'vitest'
import { testEngine } from '../support/engine.js'

const { engine, clock, db, createQueue, reload, send, receive } = testEngine()
afterAll(() => db.destroy())

describe('standard queue retention (manual clock)', () => {
  it('never returns a message older than MessageRetentionPeriod', async () => {
    const queue = await createQueue({ MessageRetentionPeriod: '60' })
    await send(queue, 'short-lived')
    clock.advance(59_999)
    expect(await receive(queue, { visibilityTimeout: 0 })).toHaveLength(1)
    clock.advance(1)
    expect(await receive(queue)).toHaveLength(0)
  })

  it('expires an in-flight message at the end of retention too', async () => {
    const queue = await createQueue({ MessageRetentionPeriod: '60', VisibilityTimeout: '30' })
    await send(queue, 'in flight')
    clock.advance(45_000)
    expect(await receive(queue)).toHaveLength(1)
    clock.advance(30_000)
    expect(await receive(queue)).toHaveLength(0)
  })

  it('expires old messages at once when the retention is shortened', async () => {
    const queue = await createQueue()
    await send(queue, 'old')
    clock.advance(120_000)
    await send(queue, 'young')
    await engine.setQueueAttributes(queue, { MessageRetentionPeriod: '60' })
    const shortened = await reload(queue)
    expect((await receive(shortened)).map((m) => m.body)).toEqual(['young'])
  })

  it('leaves expired messages out of the approximate counts', async () => {
    const queue = await createQueue({ MessageRetentionPeriod: '60' })
    await send(queue, 'old')
    await send(queue, 'old too')
    await expect.poll(() => engine.approximateCounts(queue), { timeout: 5_000 }).toEqual({ visible: 2, notVisible: 0, delayed: 0 })
    clock.advance(120_000)
    await send(queue, 'young')
    await expect.poll(() => engine.approximateCounts(queue), { timeout: 5_000 }).toEqual({ visible: 1, notVisible: 0, delayed: 0 })
  })
})
