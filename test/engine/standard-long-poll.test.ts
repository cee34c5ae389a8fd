/** Waiting long polls on one queue share one watch: while they wait, DynamoDB sees the watch's reads, not theirs. */
import { afterAll, describe, expect, it } from 'vitest'
import { accountId } from '../support/clients.js'
import { testEngine } from '../support/engine.js'

const { engine, db, clock, createQueue } = testEngine()
afterAll(() => db.destroy())

const requests = { queries: 0, reads: 0, all: 0 }
const send = db.send.bind(db)
db.send = (async (command: { input: Record<string, unknown>; constructor: { name: string } }) => {
  requests.all++
  if (command.constructor.name === 'QueryCommand') requests.queries++
  if (command.constructor.name === 'GetCommand') requests.reads++
  return send(command as never)
}) as typeof db.send

const settle = () => new Promise((resolve) => setTimeout(resolve, 50))

describe('waiting long polls on a standard queue', () => {
  it('cost one probe of the counts per probe interval between them, however many wait, and a send wakes one of them', async () => {
    const queue = await createQueue()
    const polls = Array.from({ length: 200 }, () => engine.receiveMessages(queue, { maxNumberOfMessages: 10, waitTimeSeconds: 20 }))
    // 200 first tries of 4 queries each: a loaded machine takes a while
    for (let i = 0; i < 1_200 && engine.polls.waiting < 200; i++) await settle()
    expect(engine.polls.waiting).toBe(200)
    Object.assign(requests, { queries: 0, reads: 0, all: 0 })
    for (let second = 0; second < 10; second++) {
      clock.advance(1_000)
      await settle()
    }
    console.info(`200 polls waiting 10 s: ${requests.all} DynamoDB requests (${requests.reads} counts reads, ${requests.queries} queries)`)
    expect(requests.queries).toBe(0)
    expect(requests.all).toBeLessThanOrEqual(12)
    expect(requests.reads).toBeGreaterThan(0)

    const [sent] = await engine.sendMessages(queue, [{ body: 'one for one poll' }], accountId)
    expect(sent!.ok).toBe(true)
    const first = await Promise.race(polls)
    expect(first.map((m) => m.body)).toEqual(['one for one poll'])
    await settle()
    expect(engine.polls.waiting).toBe(199)
    clock.advance(10_000)
    const answers = await Promise.all(polls)
    expect(answers.flat().map((m) => m.body)).toEqual(['one for one poll'])
    expect(engine.polls.waiting).toBe(0)
  }, 120_000)

  it('woken by a send on this instance, reads only the shard the send wrote to: one query, where a try everywhere makes four', async () => {
    const queue = await createQueue()
    expect(queue.shards).toBe(4)
    const poll = engine.receiveMessages(queue, { maxNumberOfMessages: 10, waitTimeSeconds: 20 })
    for (let i = 0; i < 600 && engine.polls.waiting < 1; i++) await settle()
    await settle() // the watch's look for the next due time
    Object.assign(requests, { queries: 0, reads: 0, all: 0 })
    engine.polls.notify(queue.id) // what a visibility change elsewhere, seen on the stream, does
    await settle()
    expect(requests.queries).toBe(4) // each shard's two regions in one query
    Object.assign(requests, { queries: 0, reads: 0, all: 0 })
    const [sent] = await engine.sendMessages(queue, [{ body: 'sent here' }], accountId)
    expect(sent!.ok).toBe(true)
    expect((await poll).map((m) => m.body)).toEqual(['sent here'])
    expect(requests.queries).toBe(1)
  }, 60_000)
})
