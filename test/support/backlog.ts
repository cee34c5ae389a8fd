/** Big standard-queue backlogs for scale tests: many messages sent, many held in flight, what one receive reads. */
import type { Engine, Queue } from '@dqs/core'
import type { Capacity } from './capacity.js'
import { accountId } from './clients.js'

/** Runs `task` over [0, count) in slices of `size`, `parallel` slices at a time (sends and receives of 10). */
export async function inSlices(count: number, options: { size: number; parallel: number }, task: (start: number, size: number) => Promise<void>) {
  let next = 0
  await Promise.all(Array.from({ length: options.parallel }, async () => {
    while (next < count) {
      const start = next
      next += options.size
      await task(start, Math.min(options.size, count - start))
    }
  }))
}

/** Sends `bodies` through the engine, 10 a call and 8 calls at a time; any entry that fails fails the whole. */
export async function sendBacklog(engine: Engine, queue: Queue, bodies: string[], options: { delaySeconds?: number } = {}) {
  await inSlices(bodies.length, { size: 10, parallel: 8 }, async (start, size) => {
    const results = await engine.sendMessages(queue, bodies.slice(start, start + size).map((body) => ({ body, ...options })), accountId)
    const failed = results.find((r) => !r.ok)
    if (failed && !failed.ok) throw failed.error
  })
}

/**
 * Receives exactly `count` messages and keeps them (the caller's `receive` sets their visibility timeout), a few
 * receives at a time; returns their bodies. Concurrent receives may come back short when they read the same
 * candidates, so each asks only for what is still missing.
 */
export async function holdInFlight(count: number, receive: (max: number) => Promise<string[]>, parallel = 4) {
  const held: string[] = []
  let reserved = 0
  let empty = 0
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (reserved < count) {
      const max = Math.min(10, count - reserved)
      reserved += max
      const bodies = await receive(max)
      reserved -= max - bodies.length
      held.push(...bodies)
      if (!bodies.length && ++empty > 100) throw new Error(`only ${held.length} of ${count} messages could be received`)
    }
  }))
  return held
}

/** Receives until a receive answers nothing: the bodies in the order received, and how many receives it took. */
export async function drain(receive: () => Promise<string[]>) {
  const bodies: string[] = []
  for (let receives = 1; ; receives++) {
    const batch = await receive()
    if (!batch.length) return { bodies, receives }
    bodies.push(...batch)
  }
}

/**
 * Mean capacity of `receives` receives of 10 taken one after another, and how many messages each returned. What
 * they return is deleted between them, outside the measure, so the number in flight stays as the caller left it.
 */
export async function receiveCost(engine: Engine, queue: Queue, capacity: () => Capacity, receives: number) {
  const sum = { requests: 0, rru: 0, wru: 0 }
  const returned: number[] = []
  for (let i = 0; i < receives; i++) {
    const before = capacity()
    // a long poll that finds messages at once is one attempt, without the short poll's background in-flight count
    const messages = await engine.receiveMessages(queue, { maxNumberOfMessages: 10, visibilityTimeout: 600, waitTimeSeconds: 1 })
    const after = capacity()
    for (const key of ['requests', 'rru', 'wru'] as const) sum[key] += after[key] - before[key]
    returned.push(messages.length)
    if (!messages.length) continue
    const [error] = (await engine.deleteMessageBatch(queue, messages.map((m) => m.receiptHandle))).filter((e) => e !== null)
    if (error) throw error
  }
  return { requests: sum.requests / receives, rru: sum.rru / receives, wru: sum.wru / receives, returned }
}
