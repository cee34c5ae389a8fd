/** @module engine/message-input — one send entry checked and turned into a message (standard and FIFO alike). */
import { md5OfBody, md5OfMessageAttributes } from '../model/md5.js'
import type { MessageAttributes } from '../model/message-attributes.js'
import type { Message } from '../model/message.js'
import {
  checkDelaySeconds, checkFifoId, checkMessageAttributes, checkMessageBody, checkMessageSize, checkMessageSystemAttributes,
  messageSize,
} from '../model/message-validation.js'
import { queueSettings, type Queue } from '../model/queue.js'
import { InvalidParameterValue, MissingParameter } from '../errors.js'
import { newMessageId } from '../ids.js'
import { contentDeduplicationId } from './fifo/dedup.js'
import { takeSchedule } from './scheduled-delivery.js'

export interface SendEntry {
  body?: string
  attributes?: Record<string, unknown>
  systemAttributes?: Record<string, unknown>
  delaySeconds?: number
  messageGroupId?: string
  messageDeduplicationId?: string
  /** The request's X-Ray trace header (`X-Amzn-Trace-Id`): the AWSTraceHeader of a message that names none itself. */
  traceHeader?: string
}

export interface SendOutcome {
  messageId: string
  /** When the message becomes receivable (epoch ms); absent for a duplicate, which sent nothing. */
  visibleAt?: number
  md5OfMessageBody: string
  md5OfMessageAttributes?: string
  md5OfMessageSystemAttributes?: string
  sequenceNumber?: string
  /** The standard queue shard it was written to: polls waiting on this instance look there (engine/long-poll.ts). */
  shard?: number
}

const notForQueueType = (name: string, value: unknown) =>
  new InvalidParameterValue(`Value ${value} for parameter ${name} is invalid. Reason: The request include parameter that is not valid for this queue type.`)

const dedupIdRequired = () =>
  new InvalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly')

/**
 * SendMessageBatch on a FIFO queue: an entry without a MessageGroupId, or without a MessageDeduplicationId on a queue
 * without content-based deduplication, fails the whole request rather than that entry (docs/reference/sqs.md §c).
 */
export function checkFifoBatch(queue: Queue, entries: SendEntry[]) {
  for (const entry of entries) {
    if (entry.messageGroupId === undefined) throw new InvalidParameterValue('The request must contain the parameter MessageGroupId.')
    if (entry.messageDeduplicationId === undefined && !queueSettings(queue).contentBasedDeduplication) throw dedupIdRequired()
  }
}

/**
 * Group and dedup ids. Standard queues take a MessageGroupId (fair queues) but no MessageDeduplicationId; FIFO
 * queues need a group id, refuse a per-message delay other than 0, and need a dedup id, explicit or from the body.
 */
function checkGroupAndDedup(queue: Queue, entry: SendEntry & { body: string }) {
  const { messageGroupId: groupId, messageDeduplicationId: dedupId } = entry
  if (groupId !== undefined) checkFifoId('MessageGroupId', groupId)
  if (!queue.fifo) {
    if (dedupId !== undefined) throw notForQueueType('MessageDeduplicationId', dedupId)
    return { groupId, dedupId }
  }
  if (groupId === undefined) throw new MissingParameter('MessageGroupId')
  // DelaySeconds=0 is accepted and the queue's delay applies (docs/reference/sqs.md §b)
  if (entry.delaySeconds) throw notForQueueType('DelaySeconds', entry.delaySeconds)
  if (dedupId !== undefined) {
    checkFifoId('MessageDeduplicationId', dedupId)
    return { groupId, dedupId }
  }
  if (!queueSettings(queue).contentBasedDeduplication) throw dedupIdRequired()
  return { groupId, dedupId: contentDeduplicationId(entry.body) }
}

/** A message ready to store, with what only its send needs. */
export interface PreparedMessage extends Message {
  /** When it becomes receivable (epoch ms): after its DelaySeconds, the queue's, or a DQS schedule. */
  visibleAt: number
  /**
   * MD5OfMessageAttributes as answered to the send: over the attributes as sent, a consumed schedule included,
   * because that is what an SDK checks it against (receives answer `md5OfMessageAttributes`, over those delivered).
   */
  md5OfSentAttributes?: string
}

/**
 * Validates an entry against the queue (body, attributes, size, delay, group and dedup ids, a DQS schedule) and
 * builds the message it sends. Limits count the attributes as sent, a schedule's included.
 */
export function prepareMessage(queue: Queue, entry: SendEntry, senderId: string, now: number): PreparedMessage {
  const settings = queueSettings(queue)
  checkMessageBody(entry.body)
  const sent = checkMessageAttributes(entry.attributes)
  const systemAttributes = checkMessageSystemAttributes(entry.systemAttributes)
  checkMessageSize(messageSize(entry.body, sent), settings.maximumMessageSize)
  checkDelaySeconds(entry.delaySeconds)
  const { groupId, dedupId } = checkGroupAndDedup(queue, { ...entry, body: entry.body })
  const { delivered: attributes, visibleAt } = takeSchedule(sent, { fifo: queue.fifo, retentionSeconds: settings.messageRetentionPeriod }, now)
  // a FIFO message takes the queue's delay whatever it says (only 0 is accepted, and means "the queue's")
  const delaySeconds = (queue.fifo ? undefined : entry.delaySeconds) ?? settings.delaySeconds
  const md5OfDelivered = md5OfMessageAttributes(attributes)
  return {
    messageId: newMessageId(),
    body: entry.body,
    attributes,
    systemAttributes: withTraceHeader(systemAttributes, entry.traceHeader),
    md5OfBody: md5OfBody(entry.body),
    md5OfMessageAttributes: md5OfDelivered,
    md5OfSentAttributes: attributes === sent ? md5OfDelivered : md5OfMessageAttributes(sent),
    visibleAt: visibleAt ?? now + delaySeconds * 1000,
    // over what the request's MessageSystemAttributes held, which is what an SDK checks it against
    md5OfMessageSystemAttributes: md5OfMessageAttributes(systemAttributes),
    sentAt: now,
    senderId,
    messageGroupId: groupId,
    messageDeduplicationId: dedupId,
  }
}

/**
 * The HTTP trace header stands in for an AWSTraceHeader the message does not give itself: "if both are set, the
 * message system attribute overrides the HTTP trace header" (AWS X-Ray guide, Amazon SQS and AWS X-Ray).
 */
function withTraceHeader(systemAttributes: MessageAttributes, traceHeader: string | undefined): MessageAttributes {
  if (!traceHeader || systemAttributes.AWSTraceHeader) return systemAttributes
  return { ...systemAttributes, AWSTraceHeader: { DataType: 'String', StringValue: traceHeader } }
}

/** The answer to a send: `visibleAt` only when this send stored the message (not for a duplicate). */
export function sendOutcome(message: PreparedMessage, visibleAt?: number): SendOutcome {
  return {
    messageId: message.messageId,
    ...(visibleAt === undefined ? {} : { visibleAt }),
    md5OfMessageBody: message.md5OfBody,
    md5OfMessageAttributes: message.md5OfSentAttributes,
    md5OfMessageSystemAttributes: message.md5OfMessageSystemAttributes,
    sequenceNumber: message.sequenceNumber,
  }
}
