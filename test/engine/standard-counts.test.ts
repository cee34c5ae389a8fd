/** Standard queues' approximate counts: kept from the messages stream, read with one request whatever the queue's size. */
import { Engine, type Db, type Queue } from '@dqs/core'
import { afterAll, describe, expect, it } from 'vitest'
import { accountId } from '../support/clients.js'
import { testEngine } from '../support/engine.js'

const { engine, clock, db, createQueue, reload, send, receive } = testEngine()
afterAll(() => db.destroy())

const settled = (queue: Queue, expected: { visible: number; notVisible: number; delayed: number }) =>
  expect.poll(() => engine.approximateCounts(queue), { timeout: 10_000, interval: 100 }).toEqual(expected)

async function sendMany(queue: Queue, count: number, delaySeconds?: number) {
  for (let i = 0; i < count; i += 10) {
    const entries = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({ body: `m${i + j}`, delaySeconds }))
    const results = await engine.sendMessages(queue, entries, accountId)
    expect(results.every((r) => r.ok)).toBe(true)
  }
}

/** An engine on the same storage that records the DynamoDB requests it makes. */
function recordingEngine() {
  const requests: string[] = []
  const recording = new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver)
      return (command: { constructor: { name: string } }) => {
        requests.push(command.constructor.name)
        return target.send(command as never)
      }
    },
  }) as Db
  return { requests, engine: new Engine({ ...engine.deps, db: recording }) }
}

describe('standard queue counts', () => {
  it('answers with one read of one small item, for a queue of 5 messages as for one of 400', async () => {
    const small = await createQueue()
    const large = await createQueue()
    await sendMany(small, 5)
    await sendMany(large, 380)
    await sendMany(large, 20, 600)
    await receive(large, { max: 10, visibilityTimeout: 600 })
    await settled(small, { visible: 5, notVisible: 0, delayed: 0 })
    await settled(large, { visible: 370, notVisible: 10, delayed: 20 })
    for (const queue of [small, large]) {
      const { requests, engine: recorded } = recordingEngine()
      await recorded.getQueueAttributes(queue, ['All'])
      expect(requests).toEqual(['GetCommand'])
    }
  })

  it('follows receives, visibility changes and deletes', async () => {
    const queue = await createQueue({ VisibilityTimeout: '30' })
    await sendMany(queue, 6)
    const received = await receive(queue, { max: 4 })
    expect(received).toHaveLength(4)
    await settled(queue, { visible: 2, notVisible: 4, delayed: 0 })
    await engine.deleteMessageBatch(queue, received.slice(0, 2).map((m) => m.receiptHandle))
    await engine.changeMessageVisibility(queue, received[2]!.receiptHandle, 0)
    await settled(queue, { visible: 3, notVisible: 1, delayed: 0 })
    // a stale handle deletes too (standard queues), and a second delete of the same message changes nothing
    await engine.deleteMessage(queue, received[0]!.receiptHandle)
    await engine.deleteMessage(queue, received[3]!.receiptHandle)
    await settled(queue, { visible: 3, notVisible: 0, delayed: 0 })
  })

  it('sees a long visibility timeout end within a minute, and a short one within a second', async () => {
    const queue = await createQueue()
    await sendMany(queue, 2)
    const [long] = await receive(queue, { max: 1, visibilityTimeout: 3_600 })
    const [short] = await receive(queue, { max: 1, visibilityTimeout: 20 })
    expect(long && short).toBeTruthy()
    await settled(queue, { visible: 0, notVisible: 2, delayed: 0 })
    clock.advance(21_000)
    expect(await engine.approximateCounts(queue)).toEqual({ visible: 1, notVisible: 1, delayed: 0 })
    clock.advance(3_600_000)
    expect(await engine.approximateCounts(queue)).toEqual({ visible: 2, notVisible: 0, delayed: 0 })
  })

  it('moves the count with a message redriven to its dead-letter queue', async () => {
    const dlq = await createQueue()
    const source = await createQueue({
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${accountId}:${dlq.name}`, maxReceiveCount: 1 }),
    })
    await sendMany(source, 3)
    expect(await receive(source, { max: 10, visibilityTimeout: 5 })).toHaveLength(3)
    clock.advance(6_000)
    expect(await receive(source, { max: 10 })).toHaveLength(0)
    await settled(source, { visible: 0, notVisible: 0, delayed: 0 })
    await settled(dlq, { visible: 3, notVisible: 0, delayed: 0 })
  })

  it('starts from zero at once after a purge, and keeps counting what is sent after it', async () => {
    const queue = await createQueue()
    await sendMany(queue, 4)
    await settled(queue, { visible: 4, notVisible: 0, delayed: 0 })
    await engine.purgeQueue(queue)
    const purged = await reload(queue)
    expect(await engine.approximateCounts(purged)).toEqual({ visible: 0, notVisible: 0, delayed: 0 })
    await send(purged, 'after the purge')
    await settled(purged, { visible: 1, notVisible: 0, delayed: 0 })
  })
})
