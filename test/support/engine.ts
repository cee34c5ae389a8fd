/** An Engine on the run's DynamoDB Local with a manual clock: queue semantics tested without sleeping. */
import { createDb, Engine, ensureTables, ManualClock, tableNames, type Queue } from '@dqs/core'
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { accountId, uniqueQueueName } from './clients.js'

/**
 * `inFlightLimit` lowers SQS's 120,000 in-flight cap, so the rule can be shown with a few messages. `ownTables`
 * names tables of the test's own (`dqs-<ownTables>-<random>`, created by `ensureOwnTables`), which no server of the
 * run follows or moves tasks on; nothing else uses their queue names, so there are no cooldowns on them.
 */
export function testEngine(options: { inFlightLimit?: number; ownTables?: string } = {}) {
  // Real time as the start: DynamoDB Local's TTL runs on the wall clock and must not reap what the test writes.
  const clock = new ManualClock(Date.now())
  const db = createDb({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1' })
  const tablePrefix = options.ownTables ? `dqs-${options.ownTables}-${randomBytes(4).toString('hex')}` : inject('tablePrefix')
  const tables = tableNames(tablePrefix)
  const cooldownMs = options.ownTables ? 0 : 60_000
  const engine = new Engine({
    db,
    tables,
    clock,
    config: { region: 'us-east-1', purgeCooldownMs: cooldownMs, deletedQueueCooldownMs: cooldownMs, receiptKey: 'engine-test-key', queueCacheMs: 0, shards: 4 },
  }, { inFlightLimit: options.inFlightLimit })
  return {
    engine,
    clock,
    db,
    tablePrefix,
    tables,
    ensureOwnTables: () => ensureTables(db, tables),
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
