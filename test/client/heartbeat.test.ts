import { DeleteMessageCommand } from '@aws-sdk/client-sqs'
import { consume, queue } from '@dqs/client'
import { describe, expect, it } from 'vitest'
import { createQueue, drain, sleep, spyOnCommands, sqsClient, waitUntil } from './support.js'

/**
 * One message, a 4 s visibility timeout, a 9 s handler and room for a second delivery: how often does it run?
 * (Beats every 2 s leave 2 s of slack for a slow answer on a loaded machine.)
 */
async function slowHandlerRuns(heartbeatIntervalSeconds: number | false | undefined) {
  const client = sqsClient()
  const { url } = await createQueue(client, 'heartbeat', { VisibilityTimeout: '4' })
  const slow = queue(url, { client, bodyFormat: 'raw' })
  await slow.send('slow')
  const { inputs } = spyOnCommands(client)
  let runs = 0
  let done = 0
  const consumer = consume(slow, async () => {
    runs++
    await sleep(9_000)
    done++
  }, { concurrency: 2, waitTimeSeconds: 1, heartbeatIntervalSeconds, retryBackoff: () => 0 })
  await waitUntil('the first run finished', () => done >= 1, 30_000)
  await consumer.stop()
  return { runs, consumer, inputs, remaining: await drain(client, url) }
}

describe('visibility heartbeats', () => {
  it.concurrent('keep a message that is handled longer than its visibility timeout from being redelivered', async () => {
    const { runs, consumer, inputs, remaining } = await slowHandlerRuns(undefined)
    expect(runs).toBe(1)
    // every 2 s (half the timeout) for 9 s; covering 9 s with a 4 s timeout takes at least two renewals
    expect(consumer.stats.heartbeats).toBeGreaterThanOrEqual(2)
    const entries = inputs('ChangeMessageVisibilityBatchCommand').flatMap((input) => input.Entries as Array<{ VisibilityTimeout: number }>)
    expect(entries.length).toBeGreaterThanOrEqual(consumer.stats.heartbeats)
    expect(entries.every((entry) => entry.VisibilityTimeout === 4)).toBe(true)
    expect(inputs('ChangeMessageVisibilityCommand')).toEqual([])
    expect(consumer.stats).toMatchObject({ succeeded: 1, deleted: 1, errors: 0 })
    expect(remaining).toEqual([])
  }, 45_000)

  it.concurrent('without them, the same message is redelivered while still being handled (the control case)', async () => {
    const { runs, consumer } = await slowHandlerRuns(false)
    expect(consumer.stats.heartbeats).toBe(0)
    expect(runs).toBeGreaterThanOrEqual(2)
  }, 45_000)
})

/** The receipt handles of each ReceiveMessage a spied client sent, by receive. */
async function receivedTogether(spy: ReturnType<typeof spyOnCommands>['spy']): Promise<string[][]> {
  const receives = spy.mock.calls.flatMap(([command], i) => (command.constructor.name === 'ReceiveMessageCommand' ? [spy.mock.results[i]!.value] : []))
  const outputs = await Promise.allSettled(receives as Array<Promise<{ Messages?: Array<{ ReceiptHandle?: string }> }>>)
  return outputs.flatMap((o) => (o.status === 'fulfilled' ? [(o.value.Messages ?? []).map((m) => m.ReceiptHandle!)] : []))
}

const handlesOf = (input: Record<string, unknown>) => (input.Entries as Array<{ ReceiptHandle: string }>).map((entry) => entry.ReceiptHandle)

// as above, a 4 s visibility timeout: beats every 2 s, and the handler's delete below comes well before the first
describe('heartbeats of messages received together', () => {
  it.concurrent('renew them all with one ChangeMessageVisibilityBatch per beat, never a call per message', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'heartbeat-batch', { VisibilityTimeout: '4' })
    const jobs = queue(url, { client, bodyFormat: 'raw' })
    const sent = await jobs.sendMany(['a', 'b', 'c', 'd', 'e'])
    expect(sent.every((r) => r.ok)).toBe(true)
    const { spy, inputs } = spyOnCommands(client)
    const handled = new Map<string, number>()
    const consumer = consume(jobs, async (message) => {
      handled.set(message.body, (handled.get(message.body) ?? 0) + 1)
      await sleep(9_000)
    }, { concurrency: 10, waitTimeSeconds: 1 })
    await waitUntil('all five handled and deleted', () => consumer.stats.deleted === 5, 30_000)
    await consumer.stop()

    const receives = await receivedTogether(spy)
    const receiveOf = new Map(receives.flatMap((handles, i) => handles.map((handle) => [handle, i] as const)))
    const beats = inputs('ChangeMessageVisibilityBatchCommand').map(handlesOf)
    expect(inputs('ChangeMessageVisibilityCommand')).toEqual([])
    // each beat covers messages of one receive only
    for (const handles of beats) expect(new Set(handles.map((handle) => receiveOf.get(handle))).size).toBe(1)
    // (a beat still out when its messages settled is not counted)
    expect(beats.flat().length).toBeGreaterThanOrEqual(consumer.stats.heartbeats)
    expect(consumer.stats.heartbeats).toBeGreaterThanOrEqual(5)
    // one receive brought several messages, and their beats went out together: fewer calls than renewals
    expect(Math.max(...receives.map((handles) => handles.length))).toBeGreaterThan(1)
    expect(beats.length).toBeLessThan(consumer.stats.heartbeats)
    expect([...handled.values()]).toEqual([1, 1, 1, 1, 1])
    expect(consumer.stats).toMatchObject({ succeeded: 5, deleted: 5, errors: 0 })
  }, 40_000)

  it.concurrent('drop a message whose entry fails for good, report it, and keep renewing the others', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'heartbeat-fail', { VisibilityTimeout: '4' })
    const jobs = queue(url, { client, bodyFormat: 'raw' })
    await jobs.sendMany(['gone', 'kept'])
    const { inputs } = spyOnCommands(client)
    const errors: Array<{ error: unknown; operation: string; body?: unknown }> = []
    const runs = new Map<string, number>()
    let goneHandle = ''
    const consumer = consume(jobs, async (message) => {
      runs.set(message.body, (runs.get(message.body) ?? 0) + 1)
      // deleted behind the consumer's back: its receipt handle stops working
      if (message.body === 'gone') {
        goneHandle = message.receiptHandle
        await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.receiptHandle }))
      }
      await sleep(9_000)
    }, {
      concurrency: 10, waitTimeSeconds: 1,
      onError: (error, { operation, message }) => errors.push({ error, operation, body: message?.body }),
    })
    await waitUntil('both handled', () => consumer.stats.succeeded === 2, 30_000)
    await consumer.stop()

    const beats = inputs('ChangeMessageVisibilityBatchCommand').map(handlesOf)
    const heartbeatErrors = errors.filter((e) => e.operation === 'ChangeMessageVisibilityBatch')
    expect(heartbeatErrors.length).toBeGreaterThanOrEqual(1)
    expect(heartbeatErrors.every((e) => e.body === 'gone')).toBe(true)
    // after its entry failed, the gone message is left out of every later beat: exactly one beat carried it
    expect(beats.filter((handles) => handles.includes(goneHandle))).toHaveLength(1)
    expect(beats.filter((handles) => !handles.includes(goneHandle)).length).toBeGreaterThanOrEqual(2)
    expect(consumer.stats.heartbeats).toBeGreaterThanOrEqual(2)
    expect(runs.get('kept')).toBe(1)
  }, 40_000)
})
