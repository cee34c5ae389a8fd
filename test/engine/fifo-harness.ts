/** Engine-level FIFO tests: an Engine on the run's DynamoDB Local with a manual clock, and small helpers. */
import { Engine, ManualClock, createDb, tableNames, type Queue } from '@dqs/core'
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'

export interface FifoHarness {
  engine: Engine
  clock: ManualClock
  /** A new FIFO queue (attributes as on the wire). */
  queue(attributes?: Record<string, string>): Promise<Queue>
  /** Re-read a queue after SetQueueAttributes or PurgeQueue (the cache is off). */
  reload(queue: Queue): Promise<Queue>
  send(queue: Queue, body: string, group: string, extra?: { dedup?: string }): Promise<{ messageId: string; sequenceNumber: string }>
  receive(queue: Queue, max?: number, visibilityTimeout?: number, receiveRequestAttemptId?: string): ReturnType<Engine['receiveMessages']>
}

/**
 * DynamoDB Local applies TTL within seconds of the real clock, so the manual clock starts at the real time: items
 * written "in the past" would vanish under the test.
 */
export function fifoHarness(options: { receiptKey?: string } = {}): FifoHarness {
  const clock = new ManualClock(Date.now())
  const engine = new Engine({
    db: createDb({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1' }),
    tables: tableNames(inject('tablePrefix')),
    clock,
    config: {
      region: 'us-east-1', purgeCooldownMs: 60_000, deletedQueueCooldownMs: 60_000,
      receiptKey: options.receiptKey ?? 'fifo-engine-tests', queueCacheMs: 0, shards: 4,
    },
  })
  const accountId = '000000000000'
  return {
    engine,
    clock,
    queue: (attributes = {}) => engine.createQueue({
      accountId, name: `fifo-${randomBytes(6).toString('hex')}.fifo`, attributes: { FifoQueue: 'true', ...attributes }, tags: {},
    }),
    reload: (queue) => engine.getQueue(queue.accountId, queue.name),
    async send(queue, body, group, extra = {}) {
      const [result] = await engine.sendMessages(queue, [{ body, messageGroupId: group, messageDeduplicationId: extra.dedup ?? randomBytes(8).toString('hex') }], 'tester')
      if (!result!.ok) throw result!.error
      return { messageId: result!.value.messageId, sequenceNumber: result!.value.sequenceNumber! }
    },
    receive: (queue, max = 10, visibilityTimeout, receiveRequestAttemptId) =>
      engine.receiveMessages(queue, { maxNumberOfMessages: max, visibilityTimeout, waitTimeSeconds: 0, receiveRequestAttemptId }),
  }
}

export const bodies = (messages: Array<{ body: string }>) => messages.map((m) => m.body)
