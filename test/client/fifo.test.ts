import { consume, queue } from '@dqs/client'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createQueue, drain, sleep, sqsClient, waitUntil } from './support.js'

const Event = z.object({ group: z.string(), seq: z.number().int() })

/** A FIFO queue of `groups` × `perGroup` events, sent interleaved (g0-0, g1-0, …, g0-1, …). */
async function fifoQueueWith(groups: number, perGroup: number) {
  const client = sqsClient()
  const { url } = await createQueue(client, 'order', { VisibilityTimeout: '300' }, true)
  const events = queue(url, { client, schema: Event, fifo: true })
  const bodies = Array.from({ length: groups * perGroup }, (_, i) => ({ group: `g${i % groups}`, seq: Math.floor(i / groups) }))
  const sent = await events.sendMany(bodies, (e) => ({ messageGroupId: e.group, messageDeduplicationId: `${e.group}-${e.seq}` }))
  expect(sent.filter((r) => !r.ok)).toEqual([])
  return { client, url, events }
}

describe('FIFO queues', () => {
  it('handles a group\'s messages one after another, in order, and different groups concurrently', async () => {
    const groups = 6
    const perGroup = 30
    const { client, url, events } = await fifoQueueWith(groups, perGroup)
    const order = new Map<string, number[]>()
    const active = new Map<string, number>()
    let overlapInGroup = 0
    let running = 0
    let maxRunning = 0
    const consumer = consume(events, async ({ body, messageGroupId }) => {
      expect(messageGroupId).toBe(body.group)
      active.set(body.group, (active.get(body.group) ?? 0) + 1)
      if (active.get(body.group)! > 1) overlapInGroup++
      maxRunning = Math.max(maxRunning, ++running)
      await sleep(Math.random() * 10)
      order.set(body.group, [...order.get(body.group) ?? [], body.seq])
      active.set(body.group, active.get(body.group)! - 1)
      running--
    }, { concurrency: 10, waitTimeSeconds: 1 })
    await waitUntil('every event handled', () => [...order.values()].flat().length >= groups * perGroup, 60_000)
    await consumer.stop()

    expect(overlapInGroup).toBe(0)
    expect(maxRunning).toBeGreaterThan(1)
    for (let g = 0; g < groups; g++) expect(order.get(`g${g}`)).toEqual(Array.from({ length: perGroup }, (_, i) => i))
    expect(consumer.stats).toMatchObject({ succeeded: groups * perGroup, deleted: groups * perGroup, errors: 0 })
    expect(await drain(client, url)).toEqual([])
  }, 90_000)

  it('after a failure in a group, handles nothing later of that group before the failed message succeeds', async () => {
    const { client, url, events } = await fifoQueueWith(1, 5)
    const handled: string[] = []
    let failedOnce = false
    const consumer = consume(events, ({ body }) => {
      handled.push(`${body.seq}`)
      if (body.seq === 2 && !failedOnce) {
        failedOnce = true
        throw new Error('fail 2 once')
      }
    }, { waitTimeSeconds: 1, retryBackoff: () => 0 })
    await waitUntil('the group handled to its end', () => handled.filter((s) => s === '4').length === 1, 30_000)
    await consumer.stop()
    expect(handled).toEqual(['0', '1', '2', '2', '3', '4'])
    expect(await drain(client, url)).toEqual([])
  })
})
