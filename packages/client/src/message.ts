/** @module message — a received SQS message with its body parsed, attributes decoded and system attributes typed. */
import type { Message } from '@aws-sdk/client-sqs'
import { fromMessageAttributes, type MessageAttributesOutput } from './attributes.js'

/** A message as a handler sees it. Names follow SQS's (`ApproximateReceiveCount` → `approximateReceiveCount`). */
export interface ReceivedMessage<T> {
  /** The body: parsed JSON checked against the queue's schema, or the raw text for `bodyFormat: 'raw'`. */
  readonly body: T
  readonly messageId: string
  /** The handle of this receive: what DeleteMessage and ChangeMessageVisibility take. */
  readonly receiptHandle: string
  /** Message attributes, decoded: `String` → string, `Number` → number (or bigint), `Binary` → bytes. */
  readonly messageAttributes: MessageAttributesOutput
  /** How many times the message has been received, this receive included. */
  readonly approximateReceiveCount: number
  /** When the message was sent, in epoch milliseconds. */
  readonly sentTimestamp: number
  /** FIFO queues (and standard fair queues): the message group. */
  readonly messageGroupId?: string
  /** FIFO queues: the deduplication id, as sent or derived from the body. */
  readonly messageDeduplicationId?: string
  /** FIFO queues: the order of the message within its group. */
  readonly sequenceNumber?: string
  /** The message exactly as `@aws-sdk/client-sqs` returned it (from a Lambda event: the record in that shape). */
  readonly sqsMessage: Message
}

/** A received message whose body did not parse or did not match the schema: it keeps the MessageBody text. */
export interface InvalidMessage extends ReceivedMessage<string> {
  /** Why the body was rejected: a `SyntaxError` for bad JSON, a `ZodError` for a schema mismatch. */
  readonly error: Error
}

/** A ReceivedMessage around an SDK message; `body` is the parsed body. */
export function toReceivedMessage<T>(message: Message, body: T): ReceivedMessage<T> {
  const system = message.Attributes ?? {}
  return {
    body,
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    messageAttributes: fromMessageAttributes(message.MessageAttributes),
    approximateReceiveCount: Number(system.ApproximateReceiveCount ?? 1),
    sentTimestamp: Number(system.SentTimestamp ?? 0),
    messageGroupId: system.MessageGroupId,
    messageDeduplicationId: system.MessageDeduplicationId,
    sequenceNumber: system.SequenceNumber,
    sqsMessage: message,
  }
}
