/** @module outbox — `dqsOutbox`: DQS messages as DynamoDB transaction items, for the caller's own TransactWriteItems. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import {
  getQueueItem, parseQueueUrl, QueueDoesNotExist, systemClock, transactionalSendItems, type Clock, type Queue, type TableNames,
  type TransactionalSend,
} from '@dqs/core'
import { outboxMessage, type OutboxMessage } from './message.js'
import { withoutUndefined } from './plain-items.js'

export interface OutboxOptions {
  /** A DynamoDB client or document client on the account and region of DQS's tables. */
  client: DynamoDBClient | DynamoDBDocumentClient
  /** The names of DQS's tables (its `queues` and `messages` tables). */
  tables: Pick<TableNames, 'queues' | 'messages'>
  /**
   * How long a queue's settings are reused before being read again (default 60 s, as SQS takes up to 60 s to apply
   * attribute changes). 0 reads the queue item on every call.
   */
  queueCacheMs?: number
  /** SenderId of the messages (default: the queue's account). */
  senderId?: string
  /** Source of SentTimestamp and sequence numbers (default: the system clock). */
  clock?: Clock
}

export interface Outbox {
  /**
   * The transaction items that send `message` to the queue at `queueUrl`, and the answer SendMessage would give
   * (MessageId, MD5s, SequenceNumber). Throws SendMessage's errors (InvalidParameterValue, QueueDoesNotExist, …).
   *
   * @example
   * const sent = await outbox.sendItems(queueUrl, { body: JSON.stringify(order) })
   * await ddb.send(new TransactWriteCommand({ TransactItems: [myUpdate, ...sent.items] }))
   */
  sendItems(queueUrl: string, message: OutboxMessage): Promise<TransactionalSend>
}

/**
 * A transactional outbox on DQS's own tables. Messages join the caller's transaction and exist exactly when it
 * commits; they are then indistinguishable from messages sent with SendMessage.
 *
 * @example
 * const outbox = dqsOutbox({ client: new DynamoDBClient({}), tables: { queues: 'dqs-queues', messages: 'dqs-messages' } })
 */
export function dqsOutbox(options: OutboxOptions): Outbox {
  const { tables, queueCacheMs = 60_000, clock = systemClock } = options
  const db = options.client instanceof DynamoDBDocumentClient
    ? options.client
    : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } })
  const cache = new Map<string, { queue: Queue; at: number }>()

  async function lookup(queueUrl: string): Promise<Queue> {
    const parts = parseQueueUrl(queueUrl)
    if (!parts) throw new QueueDoesNotExist()
    const key = `${parts.accountId}/${parts.name}`
    const hit = cache.get(key)
    if (hit && clock.now() - hit.at < queueCacheMs) return hit.queue
    const queue = await getQueueItem({ db, table: tables.queues }, parts.accountId, parts.name)
    if (!queue) throw new QueueDoesNotExist()
    if (queueCacheMs > 0) cache.set(key, { queue, at: clock.now() })
    return queue
  }

  return {
    async sendItems(queueUrl, message) {
      const entry = outboxMessage.parse(message)
      const queue = await lookup(queueUrl)
      const sent = await transactionalSendItems({ db, table: tables.messages }, queue, entry, options.senderId ?? queue.accountId, clock.now())
      return { ...sent, items: withoutUndefined(sent.items) }
    },
  }
}
