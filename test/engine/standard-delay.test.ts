import { afterAll, describe, expect, it } from 'vitest'
import { testEngine } from '../support/engine.js'

const { engine, clock, db, createQueue, reload, send, receive } = testEngine()
afterAll(() => db.destroy())

describe('standard queue delays (manual clock)', () => {
  it('holds a message back for its own DelaySeconds, to the millisecond', async () => {
    const queue = await createQueue()
    await send(queue, 'delayed', { delaySeconds: 120 })
    clock.advance(119_999)
    expect(await receive(queue)).toHaveLength(0)
    clock.advance(1)
    expect(await receive(queue)).toHaveLength(1)
  })

  it('uses the queue’s DelaySeconds when the message gives none, and 0 when it gives 0', async () => {
    const queue = await createQueue({ DelaySeconds: '900' })
    await send(queue, 'queue delay')
    await send(queue, 'no delay', { delaySeconds: 0 })
    expect((await receive(queue, { visibilityTimeout: 3600 })).map((m) => m.body)).toEqual(['no delay'])
    clock.advance(900_000)
    expect((await receive(queue)).map((m) => m.body)).toEqual(['queue delay'])
  })

  it('applies a changed queue delay to messages sent after the change only', async () => {
    const queue = await createQueue({ DelaySeconds: '60' })
    await send(queue, 'old delay')
    await engine.setQueueAttributes(queue, { DelaySeconds: '0' })
    await send(await reload(queue), 'new delay')
    expect((await receive(queue, { visibilityTimeout: 3600 })).map((m) => m.body)).toEqual(['new delay'])
    clock.advance(60_000)
    expect((await receive(queue)).map((m) => m.body)).toEqual(['old delay'])
  })

  it('counts delayed, visible and in-flight messages apart, as time moves', async () => {
    const queue = await createQueue({ VisibilityTimeout: '30' })
    await send(queue, 'delayed', { delaySeconds: 10 })
    await send(queue, 'visible')
    await send(queue, 'in flight')
    await receive(queue, { max: 1 })
    // counts follow the messages stream (a fraction of a second behind); the ends of delays and visibility
    // timeouts need no write: the counts see them from the clock, up to a second early
    clock.advance(1_000)
    await expect.poll(() => engine.approximateCounts(queue), { timeout: 5_000 }).toEqual({ visible: 1, notVisible: 1, delayed: 1 })
    clock.advance(9_000)
    expect(await engine.approximateCounts(queue)).toEqual({ visible: 2, notVisible: 1, delayed: 0 })
    clock.advance(20_000)
    expect(await engine.approximateCounts(queue)).toEqual({ visible: 3, notVisible: 0, delayed: 0 })
  })
})
