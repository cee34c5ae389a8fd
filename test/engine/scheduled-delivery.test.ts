import { Engine } from '@dqs/core'
import { afterAll, describe, expect, it } from 'vitest'
import { accountId } from '../support/clients.js'
import { testEngine } from '../support/engine.js'

const { engine, clock, db, createQueue } = testEngine()
afterAll(() => db.destroy())

const hour = 3_600_000
const string = (StringValue: string) => ({ DataType: 'String', StringValue })
const number = (StringValue: string) => ({ DataType: 'Number', StringValue })

async function sendScheduled(queue: Awaited<ReturnType<typeof createQueue>>, body: string, attributes: Record<string, unknown>) {
  const [result] = await engine.sendMessages(queue, [{ body, attributes }], accountId)
  if (!result!.ok) throw result!.error
  return result!.value
}
const receive = (queue: Awaited<ReturnType<typeof createQueue>>) =>
  engine.receiveMessages(queue, { maxNumberOfMessages: 10, waitTimeSeconds: 0 }).then((found) => found.map((m) => m.body))

describe('scheduled delivery past 15 minutes (manual clock)', () => {
  it('holds a message for DQS.DelaySeconds hours ahead, to the millisecond', async () => {
    const queue = await createQueue()
    await sendScheduled(queue, 'in six hours', { 'DQS.DelaySeconds': number('21600') })
    clock.advance(6 * hour - 1)
    expect(await receive(queue)).toEqual([])
    clock.advance(1)
    expect(await receive(queue)).toEqual(['in six hours'])
  })

  it('holds a message until DQS.DeliverAt, days ahead within a 14-day retention, and counts it delayed until its last hour', async () => {
    const queue = await createQueue({ MessageRetentionPeriod: '1209600' })
    const dueAt = clock.now() + 13 * 24 * hour + 1_234
    await sendScheduled(queue, 'in 13 days', { 'DQS.DeliverAt': string(new Date(dueAt).toISOString()), kind: string('reminder') })
    await expect.poll(() => engine.approximateCounts(queue), { timeout: 10_000 }).toEqual({ visible: 0, notVisible: 0, delayed: 1 })
    // spans past 12 hours are counted by the hour (engine/count-changes.ts)
    clock.advance(dueAt - hour - 1_000 - clock.now())
    expect(await engine.approximateCounts(queue)).toEqual({ visible: 0, notVisible: 0, delayed: 1 })
    expect(await receive(queue)).toEqual([])
    clock.advance(dueAt - clock.now())
    const [message] = await engine.receiveMessages(queue, { maxNumberOfMessages: 1, waitTimeSeconds: 0 })
    expect(message?.body).toBe('in 13 days')
    expect(message?.attributes).toEqual({ kind: string('reminder') })
    expect(await engine.approximateCounts(queue)).toMatchObject({ delayed: 0 })
  })

  it('delivers at once a message whose time has already passed', async () => {
    const queue = await createQueue()
    await sendScheduled(queue, 'past', { 'DQS.DeliverAt': string(new Date(clock.now() - hour).toISOString()) })
    expect(await receive(queue)).toEqual(['past'])
  })

  it('refuses a schedule that ends at or past the retention period: the message could never be delivered', async () => {
    const queue = await createQueue({ MessageRetentionPeriod: '86400' })
    await expect(sendScheduled(queue, 'never', { 'DQS.DelaySeconds': number('86400') }))
      .rejects.toMatchObject({ shape: 'InvalidParameterValueException', message: expect.stringContaining('MessageRetentionPeriod (86400 seconds)') })
    await sendScheduled(queue, 'just in time', { 'DQS.DelaySeconds': number('86399') })
  })

  it('wakes a long poll waiting when a message scheduled hours earlier comes due', async () => {
    const queue = await createQueue()
    await sendScheduled(queue, 'due', { 'DQS.DelaySeconds': number('7200') })
    clock.advance(2 * hour - 5_000)
    let answered = false
    const poll = engine.receiveMessages(queue, { maxNumberOfMessages: 1, waitTimeSeconds: 20 }).finally(() => { answered = true })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(answered).toBe(false)
    clock.advance(5_000)
    const found = await Promise.race([poll, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 3_000))])
    expect(found === 'late' ? found : found.map((m) => m.body)).toEqual(['due'])
  })
  it('wakes a long poll on an instance that never heard of the send, when the message comes due', async () => {
    const queue = await createQueue()
    await sendScheduled(queue, 'due in 5 hours', { 'DQS.DelaySeconds': number('18000') })
    // another instance on the same tables and clock (a server started after the send): its watch knows no times
    const elsewhere = new Engine({ ...engine.deps }, { probeCounts: false })
    clock.advance(5 * hour - 10_000)
    const polling = elsewhere.receiveMessages(queue, { maxNumberOfMessages: 1, waitTimeSeconds: 20 })
    for (let i = 0; i < 400 && elsewhere.polls.waiting === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25))
    expect(elsewhere.polls.waiting).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 500)) // the watch asks the index when the message is due
    clock.advance(10_100) // wake-ups are rounded up to 100 ms
    const answer = await Promise.race([polling, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000))])
    expect(answer).not.toBe('still waiting')
    expect((answer as Array<{ body: string }>).map((m) => m.body)).toEqual(['due in 5 hours'])
  })
})
