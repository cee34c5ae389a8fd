/** A peek on a long queue reads one page, not the queue: its cost does not grow with the queue's length. */
import type { PeekPage } from '@dqs/core'
import { afterAll, describe, expect, it } from 'vitest'
import { sendBacklog } from '../support/backlog.js'
import { meterCapacity } from '../support/capacity.js'
import { testEngine } from '../support/engine.js'

const { engine, clock, db, createQueue } = testEngine()
const capacity = meterCapacity(db)
afterAll(() => db.destroy())

describe('peek on a queue of 2,000 messages', () => {
  it('reads a page of 20 with a handful of requests and units, oldest or newest first, and finds the oldest message as cheaply', async () => {
    const queue = await createQueue()
    for (let part = 0; part < 4; part++) {
      await sendBacklog(engine, queue, Array.from({ length: 500 }, (_, i) => `{"part":${part},"i":${i},"pad":"${'x'.repeat(100)}"}`))
      clock.advance(1_000)
    }
    for (const order of ['oldest', 'newest'] as const) {
      const before = capacity()
      const started = performance.now()
      const page = await engine.peekMessages(queue, { order, limit: 20 }) as Extract<PeekPage, { fifo: false }>
      const elapsed = performance.now() - started
      const after = capacity()
      expect(page.messages.length).toBe(20)
      expect(JSON.parse(page.messages[0]!.body).part).toBe(order === 'oldest' ? 0 : 3)
      expect(page.cursor).toBeDefined()
      // one query per shard (4), each reading at most a page of ~200-byte items
      expect(after.requests - before.requests).toBeLessThanOrEqual(8)
      expect(after.rru - before.rru).toBeLessThanOrEqual(8)
      expect(elapsed).toBeLessThan(2_000)
    }
    const before = capacity()
    expect(await engine.oldestMessageAge(queue)).toBe(4)
    const after = capacity()
    expect(after.requests - before.requests).toBe(4)
    expect(after.rru - before.rru).toBeLessThanOrEqual(4)
  }, 120_000)
})
