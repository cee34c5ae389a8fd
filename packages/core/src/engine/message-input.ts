/** @module engine/message-input — one send entry checked and turned into a message (standard and FIFO alike). */
import { md5OfBody, md5OfMessageAttributes } from '../model/md5.js'
import type { Message } from '../model/message.js'
import {
  checkDelaySeconds, checkMessageAttributes, checkMessageBody, checkMessageSize, checkMessageSystemAttributes, messageSize,
} from '../model/message-validation.js'
import { queueSettings, type Queue } from '../model/queue.js'
import { newMessageId } from '../ids.js'

export interface SendEntry {
  body?: string
  attributes?: Record<string, unknown>
  systemAttributes?: Record<string, unknown>
  delaySeconds?: number
  messageGroupId?: string
  messageDeduplicationId?: string
}

export interface SendOutcome {
  messageId: string
  md5OfMessageBody: string
  md5OfMessageAttributes?: string
  md5OfMessageSystemAttributes?: string
  sequenceNumber?: string
}

/** Validates an entry against the queue (body, attributes, size, delay) and builds the message it sends. */
export function prepareMessage(queue: Queue, entry: SendEntry, senderId: string, now: number): Message {
  checkMessageBody(entry.body)
  const attributes = checkMessageAttributes(entry.attributes)
  const systemAttributes = checkMessageSystemAttributes(entry.systemAttributes)
  checkMessageSize(messageSize(entry.body, attributes), queueSettings(queue).maximumMessageSize)
  checkDelaySeconds(entry.delaySeconds)
  return {
    messageId: newMessageId(),
    body: entry.body,
    attributes,
    systemAttributes,
    md5OfBody: md5OfBody(entry.body),
    md5OfMessageAttributes: md5OfMessageAttributes(attributes),
    md5OfMessageSystemAttributes: md5OfMessageAttributes(systemAttributes),
    sentAt: now,
    senderId,
    messageGroupId: entry.messageGroupId,
  }
}

export function sendOutcome(message: Message): SendOutcome {
  return {
    messageId: message.messageId,
    md5OfMessageBody: message.md5OfBody,
    md5OfMessageAttributes: message.md5OfMessageAttributes,
    md5OfMessageSystemAttributes: message.md5OfMessageSystemAttributes,
    sequenceNumber: message.sequenceNumber,
  }
}
