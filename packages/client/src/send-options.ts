/** @module send-options — per-message send options, typed so that a FIFO queue cannot be sent to without its ids. */
import type { SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs'
import { toMessageAttributes, type MessageAttributesInput } from './attributes.js'

interface CommonSendOptions {
  /** Message attributes as a plain object: `{ tenant: 'a', attempt: 3, raw: Buffer.from('…') }`. */
  messageAttributes?: MessageAttributesInput
}

/** Options for a message to a standard queue. */
export interface StandardSendOptions extends CommonSendOptions {
  /** Seconds (0–900) before the message becomes receivable. */
  delaySeconds?: number
  /** Standard queues accept a group id too (fair queues): it spreads delivery across tenants, it does not order. */
  messageGroupId?: string
  messageDeduplicationId?: never
}

/** Options for a message to a FIFO queue without ContentBasedDeduplication: both ids are required. */
export interface FifoSendOptions extends CommonSendOptions {
  /** Messages of one group are delivered in order, one group's messages to one consumer at a time. */
  messageGroupId: string
  /** A second send with the same id within 5 minutes is accepted but not delivered again. */
  messageDeduplicationId: string
  /** FIFO queues only have a queue-level delay: SQS rejects a per-message DelaySeconds. */
  delaySeconds?: never
}

/** Options for a message to a FIFO queue with ContentBasedDeduplication: the dedup id defaults to the body's SHA-256. */
export interface ContentDeduplicatedFifoSendOptions extends Omit<FifoSendOptions, 'messageDeduplicationId'> {
  messageDeduplicationId?: string
}

/** The send options a queue's type requires: FIFO queues need a group id, and a dedup id unless content-based. */
export type SendOptions<Fifo extends boolean, ContentDeduplication extends boolean> = Fifo extends true
  ? ContentDeduplication extends true ? ContentDeduplicatedFifoSendOptions : FifoSendOptions
  : StandardSendOptions

/** `send`'s options argument: required on FIFO queues, optional on standard ones. */
export type SendArguments<Fifo extends boolean, ContentDeduplication extends boolean> = Fifo extends true
  ? [options: SendOptions<Fifo, ContentDeduplication>]
  : [options?: SendOptions<Fifo, ContentDeduplication>]

/** `sendMany`'s options: the same for every body, or computed per body (a FIFO group id usually comes from the body). */
export type SendManyOptions<Body, Fifo extends boolean, ContentDeduplication extends boolean> =
  | SendOptions<Fifo, ContentDeduplication>
  | ((body: Body, index: number) => SendOptions<Fifo, ContentDeduplication>)

/** `sendMany`'s options argument: required on FIFO queues, optional on standard ones. */
export type SendManyArguments<Body, Fifo extends boolean, ContentDeduplication extends boolean> = Fifo extends true
  ? [options: SendManyOptions<Body, Fifo, ContentDeduplication>]
  : [options?: SendManyOptions<Body, Fifo, ContentDeduplication>]

/** The union of all send options, as the runtime sees them. */
export type AnySendOptions = StandardSendOptions | FifoSendOptions | ContentDeduplicatedFifoSendOptions

/**
 * A SendMessage(Batch) entry (without `Id`) for a serialized body. A FIFO queue without a group id is refused here,
 * in words, because a name only known at run time (not a `.fifo` literal) escapes the type check.
 */
export function toSendEntry(messageBody: string, options: AnySendOptions | undefined, fifo: boolean): Omit<SendMessageBatchRequestEntry, 'Id'> {
  if (fifo && !options?.messageGroupId) throw new TypeError('A message to a FIFO queue needs a messageGroupId.')
  return {
    MessageBody: messageBody,
    MessageAttributes: toMessageAttributes(options?.messageAttributes),
    DelaySeconds: options?.delaySeconds,
    MessageGroupId: options?.messageGroupId,
    MessageDeduplicationId: options?.messageDeduplicationId,
  }
}
