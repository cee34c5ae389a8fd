/** @module @dqs/client — typed SQS queues, a consumer and a Lambda handler over `@aws-sdk/client-sqs`; re-exports only. */
export { queue, type Queue, type QueueOptions, type MessageSource, type ParsedMessage, type SentMessage } from './queue.js'
export type {
  SendOptions, StandardSendOptions, FifoSendOptions, ContentDeduplicatedFifoSendOptions, SendManyOptions,
} from './send-options.js'
export type { SendResult, SendFailure } from './send.js'
export type { BodyFormat, BodySchema } from './body.js'
export type { ReceivedMessage, InvalidMessage } from './message.js'
export type { MessageAttributeInput, MessageAttributesInput, MessageAttributeOutput, MessageAttributesOutput } from './attributes.js'
export { consume } from './consumer.js'
export type {
  Consumer, ConsumeOptions, ConsumerStats, MessageHandler, BatchHandler, BatchResult, HandlerContext, MessageHooks,
  ProcessedEvent, ProcessedOutcome, ErrorContext, ConsumerOperation,
} from './consumer-options.js'
export { handleSqsEvent, type HandleSqsEventOptions, type SqsEventHandler } from './handle-sqs-event.js'
export type { LambdaSqsEvent, LambdaSqsRecord, LambdaSqsMessageAttribute, PartialBatchResponse } from './lambda-event.js'
export { exponentialBackoff, type RetryOptions } from './retry.js'
export {
  idempotent, idempotencyKey, MemoryIdempotencyStore, IdempotencyConflict,
  type IdempotencyStore, type IdempotencyRecord, type IdempotentOptions,
} from './idempotency.js'
