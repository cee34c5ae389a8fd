/**
 * A receive's claims go to DynamoDB as one batch of statements. A message can be listed twice among a receive's
 * candidates (its index entry moved between the reads of two regions, under contention): the batch must still go
 * through, claiming it once.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { claimMessages, findReceivable, type MessageStore } from '../../packages/core/src/storage/message-store.js'
import { shardPartition } from '../../packages/core/src/storage/keys.js'
import { testEngine } from '../support/engine.js'

const { engine, clock, db, tables, createQueue, send } = testEngine()
afterAll(() => db.destroy())

describe('claimMessages', () => {
  it('claims a message listed twice once, and answers the second listing as lost', async () => {
    const queue = await createQueue()
    for (const body of ['a', 'b']) await send(queue, body)
    const store: MessageStore = { db, table: tables.messages }
    const now = clock.now()
    const candidates = (await Promise.all(Array.from({ length: queue.shards }, (_, shard) =>
      findReceivable(store, shardPartition(queue.id, queue.gen, shard), 'fresh', { now, sentAfter: 0 }, 10)))).flat()
    expect(candidates).toHaveLength(2)
    const [first, second] = candidates
    const listed = [first!, second!, { ...first! }]
    const outcomes = await claimMessages(store, listed, { now, visibleAt: now + 30_000, tokens: ['t1', 't2', 't3'] })
    expect(outcomes.map((outcome) => Object.keys(outcome)[0])).toEqual(['claimed', 'claimed', 'lost'])
    expect((outcomes[0] as { claimed: Record<string, unknown> }).claimed).toMatchObject({ pk: first!.pk, sk: first!.sk, tok: 't1', rc: 1 })
    // nothing left to receive: both are in flight, each claimed once
    expect(await engine.receiveMessages(queue, { maxNumberOfMessages: 10, waitTimeSeconds: 0 })).toEqual([])
  })
})
