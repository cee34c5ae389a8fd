/** @module actions/shared/message-schemas — the send-entry fields SendMessage and SendMessageBatch share. */
import * as z from 'zod'
import { integerIn } from './schemas.js'

const attributeValue = z.object({
  DataType: z.string().optional(),
  StringValue: z.string().optional(),
  BinaryValue: z.string().optional(),
  StringListValues: z.array(z.string()).optional(),
  BinaryListValues: z.array(z.string()).optional(),
})

export const sendFields = {
  MessageBody: z.string().optional(),
  DelaySeconds: integerIn(0, 900, 'DelaySeconds must be >= 0 and <= 900.').optional(),
  MessageAttributes: z.record(z.string(), attributeValue).optional(),
  MessageSystemAttributes: z.record(z.string(), attributeValue).optional(),
  MessageDeduplicationId: z.string().optional(),
  MessageGroupId: z.string().optional(),
}

interface SendFields {
  MessageBody?: string
  DelaySeconds?: number
  MessageAttributes?: Record<string, unknown>
  MessageSystemAttributes?: Record<string, unknown>
  MessageDeduplicationId?: string
  MessageGroupId?: string
}

/** Wire names, and the request's trace header, → the engine's send entry. */
export function toSendEntry(input: SendFields, traceHeader: string | undefined) {
  return {
    body: input.MessageBody,
    attributes: input.MessageAttributes,
    systemAttributes: input.MessageSystemAttributes,
    delaySeconds: input.DelaySeconds,
    messageGroupId: input.MessageGroupId,
    messageDeduplicationId: input.MessageDeduplicationId,
    traceHeader,
  }
}

/** The engine's send outcome → SendMessage's result members (absent MD5s and sequence numbers omitted). */
export function sendResultMembers(outcome: {
  messageId: string; md5OfMessageBody: string; md5OfMessageAttributes?: string; md5OfMessageSystemAttributes?: string; sequenceNumber?: string
}) {
  return {
    MessageId: outcome.messageId,
    MD5OfMessageBody: outcome.md5OfMessageBody,
    ...(outcome.md5OfMessageAttributes ? { MD5OfMessageAttributes: outcome.md5OfMessageAttributes } : {}),
    ...(outcome.md5OfMessageSystemAttributes ? { MD5OfMessageSystemAttributes: outcome.md5OfMessageSystemAttributes } : {}),
    ...(outcome.sequenceNumber ? { SequenceNumber: outcome.sequenceNumber } : {}),
  }
}
