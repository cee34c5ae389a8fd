/** In flight: one standard queue holding tens of thousands of received, undeleted messages still delivers what is visible, at the same read cost. */
import { afterAll, expect, it } from 'vitest'
import { holdInFlight, receiveCost, sendBacklog } from '../support/backlog.js'
import { meterCapacity } from '../support/capacity.js'
import { testEngine } from '../support/engine.js'
import { describeReliability, report, scaled } from './support/mode.js'

const inFlight = scaled(2_000, 20_000)
const backlog = 400
const receives = 20

const { engine, clock, db, createQueue, receive } = testEngine()
const capacity = meterCapacity(db)
afterAll(() => db.destroy())

const bodies = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`)

describeReliability(`in flight: ${inFlight.toLocaleString('en')} messages held on one standard queue`, () => {
  it('still returns visible messages, reading no more than twice as much per receive as with none in flight', async () => {
    const idle = await createQueue()
    await sendBacklog(engine, idle, bodies('visible', backlog))
    const none = await receiveCost(engine, idle, capacity, receives)

    const busy = await createQueue()
    let started = performance.now()
    await sendBacklog(engine, busy, bodies('held', inFlight))
    const sendSeconds = (performance.now() - started) / 1000
    started = performance.now()
    const held = await holdInFlight(inFlight, async (max) =>
      (await receive(busy, { max, visibilityTimeout: 43_200 })).map((m) => m.body), 8)
    const holdSeconds = (performance.now() - started) / 1000
    expect(new Set(held).size).toBe(inFlight)
    clock.advance(1)
    await sendBacklog(engine, busy, bodies('visible', backlog))
    const loaded = await receiveCost(engine, busy, capacity, receives)

    report('in-flight', {
      inFlight, sendSeconds, holdSeconds, rruNone: none.rru, requestsNone: none.requests, rruHeld: loaded.rru, requestsHeld: loaded.requests,
    })
    // a meter that saw no reads would make the bound below say nothing
    expect(none.rru).toBeGreaterThan(0)
    expect(none.returned).toEqual(Array(receives).fill(10))
    expect(loaded.returned).toEqual(Array(receives).fill(10))
    expect(loaded.rru).toBeLessThanOrEqual(2 * none.rru)
    expect(loaded.requests).toBeLessThanOrEqual(2 * none.requests)
  })
})
