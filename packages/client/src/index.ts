/** @module @dqs/client — typed SQS queues and a production-grade consumer over `@aws-sdk/client-sqs`; re-exports only. */
export { queue, Queue, type QueueOptions, type MessageSource, type ParsedMessage, type SentMessage } from './queue.js'
export type {
  SendOptions, StandardSendOptions, FifoSendOptions, ContentDeduplicatedFifoSendOptions, SendManyOptions,
} from './send-options.js'
export type { SendResult, SendFailure } from './send.js'
export type { BodyFormat, BodySchema } from './body.js'
export type { ReceivedMessage, InvalidMessage } from './message.js'
export {
  toMessageAttributes, fromMessageAttributes,
  type MessageAttributeInput, type MessageAttributesInput, type MessageAttributeOutput, type MessageAttributesOutput,
} from './attributes.js'
export { messageSize, splitIntoBatches, type BatchLimits } from './batching.js'
export { consume } from './consumer.js'
export type {
  Consumer, ConsumeOptions, ConsumerStats, MessageHandler, BatchHandler, BatchResult, HandlerContext,
  ProcessedEvent, ProcessedOutcome, ErrorContext, ConsumerOperation,
} from './consumer-options.js'
export { exponentialBackoff, type RetryOptions } from './retry.js'
export { DeleteMessageError } from './delete-batcher.js'
export { ChangeMessageVisibilityError } from './visibility.js'
export {
  idempotent, idempotencyKey, MemoryIdempotencyStore, IdempotencyConflict,
  type IdempotencyStore, type IdempotencyRecord, type IdempotentOptions,
} from './idempotency.js'
export { sqsLimits } from './limits.js'
