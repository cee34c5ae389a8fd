/**
 * The mover of message move tasks on tables of its own (no server's mover takes part): races between movers, a
 * source that goes away, in-flight messages, the rate limit on a manual clock.
 */
import type { Queue } from '@dqs/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listMoveTasks } from '../../packages/core/src/storage/move-task-store.js'
import { accountId, uniqueQueueName } from '../support/clients.js'
import { testEngine } from '../support/engine.js'

const { engine, clock, db, tables, ensureOwnTables } = testEngine({ ownTables: 'move-test' })
const arnOf = (queue: Queue) => `arn:aws:sqs:us-east-1:${accountId}:${queue.name}`
const create = (name: string, attributes: Record<string, string> = {}) => engine.createQueue({ accountId, name, attributes, tags: {} })

beforeAll(() => ensureOwnTables())
afterAll(() => db.destroy())

/** A dead-letter queue with `count` messages sent straight to it, and the queue that names it. */
async function deadLetterQueue(count: number) {
  const dlq = await create(uniqueQueueName('mdlq'))
  await create(uniqueQueueName('msrc'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf(dlq), maxReceiveCount: 3 }) })
  for (let i = 0; i < count; i += 10) {
    await engine.sendMessages(dlq, Array.from({ length: Math.min(10, count - i) }, (_, j) => ({ body: `m${i + j}` })), accountId)
  }
  return dlq
}

async function everything(queue: Queue) {
  const bodies: string[] = []
  for (;;) {
    const batch = await engine.receiveMessages(queue, { maxNumberOfMessages: 10, visibilityTimeout: 600, waitTimeSeconds: 0 })
    if (!batch.length) return bodies.sort()
    bodies.push(...batch.map((m) => m.body))
  }
}

const latest = async (queue: Queue) => (await engine.listMessageMoveTasks(accountId, arnOf(queue), 1))[0]!

describe('the message mover', () => {
  it('moves every message exactly once when several movers work at once', async () => {
    const dlq = await deadLetterQueue(40)
    const destination = await create(uniqueQueueName('mdest'))
    await engine.startMessageMoveTask(accountId, { sourceArn: arnOf(dlq), destinationArn: arnOf(destination) })
    const movers = await Promise.all(['a', 'b', 'c'].map((owner) => engine.runMoveTasks(owner, 60_000)))
    expect(movers.reduce((a, b) => a + b, 0)).toBe(40)
    expect(await latest(dlq)).toMatchObject({ status: 'COMPLETED', moved: 40 })
    expect(await everything(destination)).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`).sort())
    expect(await everything(dlq)).toEqual([])
  }, 90_000)

  it('leaves in-flight and delayed messages where they are, and completes', async () => {
    const dlq = await deadLetterQueue(3)
    await engine.sendMessages(dlq, [{ body: 'delayed', delaySeconds: 600 }], accountId)
    const [inFlight] = await engine.receiveMessages(dlq, { maxNumberOfMessages: 1, visibilityTimeout: 600, waitTimeSeconds: 0 })
    const destination = await create(uniqueQueueName('mdest'))
    await engine.startMessageMoveTask(accountId, { sourceArn: arnOf(dlq), destinationArn: arnOf(destination) })
    expect(await engine.runMoveTasks('a', 20_000)).toBe(2)
    expect(await latest(dlq)).toMatchObject({ status: 'COMPLETED', moved: 2 })
    await engine.deleteMessage(dlq, inFlight!.receiptHandle)
    clock.advance(600_000)
    expect(await everything(dlq)).toEqual(['delayed'])
  })

  it('fails the task when its source queue is deleted', async () => {
    const dlq = await deadLetterQueue(1)
    const destination = await create(uniqueQueueName('mdest'))
    await engine.startMessageMoveTask(accountId, { sourceArn: arnOf(dlq), destinationArn: arnOf(destination) })
    await engine.deleteQueue(dlq)
    expect(await engine.runMoveTasks('a', 20_000)).toBe(0)
    // the deleted queue's tasks can no longer be listed through the API (its ARN names no queue): read the record
    const [task] = await listMoveTasks({ db, table: tables.queues }, dlq.id, 1)
    expect(task).toMatchObject({ status: 'FAILED', failureReason: 'AWS.SimpleQueueService.NonExistentQueue', moved: 0 })
    // and the name, created again, starts with no task and may start one
    const again = await create(dlq.name)
    expect(await engine.listMessageMoveTasks(accountId, arnOf(again), 10)).toEqual([])
  })

  it('keeps to MaxNumberOfMessagesPerSecond, waiting on the clock between batches', async () => {
    const dlq = await deadLetterQueue(10)
    const destination = await create(uniqueQueueName('mdest'))
    await engine.startMessageMoveTask(accountId, { sourceArn: arnOf(dlq), destinationArn: arnOf(destination), maxNumberOfMessagesPerSecond: 5 })
    let done = false
    const running = engine.runMoveTasks('a', 20_000).then((moved) => { done = true; return moved })
    await expect.poll(async () => (await latest(dlq)).moved, { timeout: 10_000 }).toBe(10)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(done).toBe(false) // 5 a second: after each batch of 5 it waits a second of the clock before the next look
    clock.advance(2_000)
    expect(await running).toBe(10)
    expect(await latest(dlq)).toMatchObject({ status: 'COMPLETED', moved: 10, maxNumberOfMessagesPerSecond: 5 })
  })

  it('shows a handle only while the task runs, and ends a cancelled task at the next look', async () => {
    const dlq = await deadLetterQueue(2)
    const handle = await engine.startMessageMoveTask(accountId, { sourceArn: arnOf(dlq) })
    const [running] = await engine.listMessageMoveTasks(accountId, arnOf(dlq), 1)
    expect(running).toMatchObject({ status: 'RUNNING', taskHandle: handle, moved: 0, toMove: 0 }) // no stream follows these tables
    expect(await engine.cancelMessageMoveTask(accountId, handle)).toBe(0)
    expect(await engine.runMoveTasks('a', 20_000)).toBe(0)
    const [cancelled] = await engine.listMessageMoveTasks(accountId, arnOf(dlq), 1)
    expect(cancelled).toMatchObject({ status: 'CANCELLED' })
    expect(cancelled!.taskHandle).toBeUndefined()
  })
})
