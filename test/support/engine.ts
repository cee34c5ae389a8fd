/** An Engine on the run's DynamoDB Local with a manual clock: queue semantics tested without sleeping. */
import { createDb, Engine, ManualClock, tableNames, type Queue } from '@dqs/core'
import { inject } from 'vitest'
import { accountId, uniqueQueueName } from './clients.js'

/** `inFlightLimit` lowers SQS's 120,000 in-flight cap, so the rule can be shown with a few messages. */
export function testEngine(options: { inFlightLimit?: number } = {}) {
  // Real time as the start: DynamoDB Local's TTL runs on the wall clock and must not reap what the test writes.
  const clock = new ManualClock(Date.now())
  const db = createDb({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1' })
  const engine = new Engine({
    db,
    tables: tableNames(inject('tablePrefix')),
    clock,
    config: { region: 'us-east-1', purgeCooldownMs: 60_000, deletedQueueCooldownMs: 60_000, receiptKey: 'engine-test-key', queueCacheMs: 0, shards: 4 },
  }, options.inFlightLimit)
  return {
    engine,
    clock,
    db,
    createQueue: (attributes: Record<string, string> = {}, name = uniqueQueueName('engine')) =>
      engine.createQueue({ accountId, name, attributes, tags: {} }),
    /** The queue as stored now (after attribute changes). */
    reload: (queue: Queue) => engine.getQueue(queue.accountId, queue.name),
    send: async (queue: Queue, body: string, options: { delaySeconds?: number } = {}) => {
      const [result] = await engine.sendMessages(queue, [{ body, ...options }], accountId)
      if (!result!.ok) throw result!.error
      return result!.value
    },
    receive: (queue: Queue, options: { max?: number; visibilityTimeout?: number } = {}) =>
      engine.receiveMessages(queue, { maxNumberOfMessages: options.max ?? 10, visibilityTimeout: options.visibilityTimeout, waitTimeSeconds: 0 }),
  }
}
