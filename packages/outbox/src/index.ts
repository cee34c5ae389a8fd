/** @module @dqs/outbox — transactional enqueue into DQS queues; re-exports only. */
export { dqsOutbox, type Outbox, type OutboxOptions } from './outbox.js'
export type { OutboxMessage } from './message.js'
export { outboxCancellation, type OutboxCancellation } from './cancellation.js'
export type { TransactionalSend, TransactItem } from '@dqs/core'
