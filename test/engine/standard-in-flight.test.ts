import { afterAll, describe, expect, it } from 'vitest'
import { accountId } from '../support/clients.js'
import { testEngine } from '../support/engine.js'

// SQS's cap is 120,000 in-flight messages; an engine with a cap of 2 shows the rule without sending that many
const { engine, clock, db, createQueue } = testEngine({ inFlightLimit: 2 })
afterAll(() => db.destroy())

describe('in-flight limit of a standard queue (manual clock)', () => {
  it('answers OverLimit (403) to short polls once the queue has reached the cap, and nothing to long polls', async () => {
    const queue = await createQueue()
    await engine.sendMessages(queue, ['a', 'b', 'c'].map((body) => ({ body })), accountId)
    expect(await engine.receiveMessages(queue, { maxNumberOfMessages: 2, waitTimeSeconds: 0 })).toHaveLength(2)
    // the in-flight figure is refreshed in the background, as SQS's count is approximate: poll until it shows
    let error: unknown
    for (let attempt = 0; attempt < 50 && !error; attempt++) {
      clock.advance(10_001)
      await engine.receiveMessages(queue, { maxNumberOfMessages: 1, visibilityTimeout: 43_200, waitTimeSeconds: 0 }).catch((e) => (error = e))
      await new Promise((resolve) => setTimeout(resolve, 100))
      if (!error) await engine.receiveMessages(queue, { maxNumberOfMessages: 1, visibilityTimeout: 43_200, waitTimeSeconds: 0 }).catch((e) => (error = e))
    }
    expect(error).toMatchObject({ shape: 'OverLimit', status: 403 })
    // a long poll at the cap waits and answers nothing rather than OverLimit (its wait ends when the clock moves)
    const longPoll = engine.receiveMessages(queue, { maxNumberOfMessages: 1, waitTimeSeconds: 1 })
    await new Promise((resolve) => setTimeout(resolve, 200))
    clock.advance(1_000)
    await expect(longPoll).resolves.toEqual([])
  }, 60_000)
})
