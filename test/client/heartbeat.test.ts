import { consume, queue } from '@dqs/client'
import { describe, expect, it } from 'vitest'
import { createQueue, drain, sleep, spyOnCommands, sqsClient, waitUntil } from './support.js'

/** One message, a 2 s visibility timeout, a 5 s handler and room for a second delivery: how often does it run? */
async function slowHandlerRuns(heartbeatIntervalSeconds: number | false | undefined) {
  const client = sqsClient()
  const { url } = await createQueue(client, 'heartbeat', { VisibilityTimeout: '2' })
  const slow = queue(url, { client, bodyFormat: 'raw' })
  await slow.send('slow')
  const { inputs } = spyOnCommands(client)
  let runs = 0
  let done = 0
  const consumer = consume(slow, async () => {
    runs++
    await sleep(5_000)
    done++
  }, { concurrency: 2, waitTimeSeconds: 1, heartbeatIntervalSeconds, retryBackoff: () => 0 })
  await waitUntil('the first run finished', () => done >= 1, 15_000)
  await consumer.stop()
  return { runs, consumer, inputs, remaining: await drain(client, url) }
}

describe('visibility heartbeats', () => {
  it.concurrent('keep a message that is handled longer than its visibility timeout from being redelivered', async () => {
    const { runs, consumer, inputs, remaining } = await slowHandlerRuns(undefined)
    expect(runs).toBe(1)
    // every second (half the timeout) for 5 s
    expect(consumer.stats.heartbeats).toBeGreaterThanOrEqual(4)
    expect(inputs('ChangeMessageVisibilityCommand').every((input) => input.VisibilityTimeout === 2)).toBe(true)
    expect(consumer.stats).toMatchObject({ succeeded: 1, deleted: 1, errors: 0 })
    expect(remaining).toEqual([])
  }, 30_000)

  it.concurrent('without them, the same message is redelivered while still being handled (the control case)', async () => {
    const { runs, consumer } = await slowHandlerRuns(false)
    expect(consumer.stats.heartbeats).toBe(0)
    expect(runs).toBeGreaterThanOrEqual(2)
  }, 30_000)
})
