/** @module model/message — a message as the engine sees it: what was sent, and its delivery state. */
import type { MessageAttributes } from './message-attributes.js'

/** What a send fixes for good: the message as every receive returns it. */
export interface Message {
  messageId: string
  body: string
  attributes: MessageAttributes
  systemAttributes: MessageAttributes
  md5OfBody: string
  md5OfMessageAttributes?: string
  md5OfMessageSystemAttributes?: string
  sentAt: number
  senderId: string
  messageGroupId?: string
  messageDeduplicationId?: string
  sequenceNumber?: string
  deadLetterQueueSourceArn?: string
}

/** Where a message lives and how it stands: visibility, claim token and receive history. */
export interface MessageState {
  pk: string
  sk: string
  visibleAt: number
  token: string
  receiveCount: number
  firstReceiveAt: number
  expiresAt: number
}

export type StoredMessage = Message & MessageState
