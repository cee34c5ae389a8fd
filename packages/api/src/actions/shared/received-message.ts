/** @module actions/shared/received-message — a received message as ReceiveMessage returns it: asked-for attributes only. */
import { InvalidAttributeName, md5OfMessageAttributes, type MessageAttributes, type ReceivedMessage } from '@dqs/core'

const systemNames = [
  'SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'SequenceNumber',
  'MessageDeduplicationId', 'MessageGroupId', 'AWSTraceHeader', 'DeadLetterQueueSourceArn',
] as const

/** `All`, or each name checked; unknown names are InvalidAttributeName. */
export function systemAttributeFilter(names: string[]): Set<string> {
  if (names.includes('All')) return new Set(systemNames)
  for (const name of names) if (!(systemNames as readonly string[]).includes(name)) throw new InvalidAttributeName(`Unknown Attribute ${name}.`)
  return new Set(names)
}

/** `All` and `.*` take everything; `prefix.*` a prefix; anything else an exact name. */
export function messageAttributeFilter(names: string[]): (name: string) => boolean {
  if (names.some((n) => n === 'All' || n === '.*')) return () => true
  const prefixes = names.filter((n) => n.endsWith('.*')).map((n) => n.slice(0, -1))
  const exact = new Set(names.filter((n) => !n.endsWith('.*')))
  return (name) => exact.has(name) || prefixes.some((p) => name.startsWith(p))
}

function systemValues(m: ReceivedMessage): Record<string, string | undefined> {
  return {
    SenderId: m.senderId,
    SentTimestamp: String(m.sentAt),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt),
    SequenceNumber: m.sequenceNumber,
    MessageDeduplicationId: m.messageDeduplicationId,
    MessageGroupId: m.messageGroupId,
    AWSTraceHeader: m.systemAttributes.AWSTraceHeader?.StringValue,
    DeadLetterQueueSourceArn: m.deadLetterQueueSourceArn,
  }
}

/**
 * Message attributes and their MD5 appear only when asked for; the MD5 covers what is returned, so a client
 * that checks it (as the SDKs do) agrees.
 */
export function formatReceivedMessage(m: ReceivedMessage, system: Set<string>, wantAttribute: (name: string) => boolean) {
  const attributes: Record<string, string> = {}
  for (const [name, value] of Object.entries(systemValues(m))) if (value !== undefined && system.has(name)) attributes[name] = value
  const selected: MessageAttributes = {}
  for (const [name, value] of Object.entries(m.attributes)) if (wantAttribute(name)) selected[name] = value
  const md5 = md5OfMessageAttributes(selected)
  return {
    MessageId: m.messageId,
    ReceiptHandle: m.receiptHandle,
    MD5OfBody: m.md5OfBody,
    Body: m.body,
    ...(Object.keys(attributes).length ? { Attributes: attributes } : {}),
    ...(md5 ? { MD5OfMessageAttributes: md5, MessageAttributes: selected } : {}),
  }
}
