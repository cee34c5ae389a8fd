/** @module actions/receive-message — ReceiveMessage: up to 10 messages, long polling, attribute selection. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { answerBytes } from './shared/answer-size.js'
import { formatReceivedMessage, messageAttributeFilter, systemAttributeFilter } from './shared/received-message.js'
import { integerIn, nameList, queueUrl } from './shared/schemas.js'

/** @throws QueueDoesNotExist, InvalidParameterValue, OverLimit (short poll at the in-flight cap) */
export const ReceiveMessage = defineAction({
  input: z.object({
    QueueUrl: queueUrl,
    MaxNumberOfMessages: integerIn(1, 10, 'Must be between 1 and 10, if provided.').optional(),
    VisibilityTimeout: integerIn(0, 43_200, 'Must be >= 0 and <= 43200, if provided.').optional(),
    WaitTimeSeconds: integerIn(0, 20, 'Must be >= 0 and <= 20, if provided.').optional(),
    AttributeNames: nameList.optional(),
    MessageSystemAttributeNames: nameList.optional(),
    MessageAttributeNames: nameList.optional(),
    ReceiveRequestAttemptId: z.string().optional(),
  }),
  async run(input, ctx) {
    const system = systemAttributeFilter([...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])])
    const wantAttribute = messageAttributeFilter(input.MessageAttributeNames ?? [])
    const queue = await resolveQueue(ctx, input.QueueUrl)
    const messages = await ctx.engine.receiveMessages(queue, {
      maxNumberOfMessages: input.MaxNumberOfMessages ?? 1,
      visibilityTimeout: input.VisibilityTimeout,
      waitTimeSeconds: input.WaitTimeSeconds,
      receiveRequestAttemptId: input.ReceiveRequestAttemptId,
      signal: ctx.signal,
    })
    const formatted = messages.map((m) => formatReceivedMessage(m, system, wantAttribute))
    const kept = withinAnswerLimit(formatted, ctx.maxAnswerBytes)
    // what does not fit is given back at once, as if never received (the first message is always answered)
    if (kept < messages.length) await ctx.engine.releaseMessages(queue, messages.slice(kept))
    // SQS sends no Messages member at all for an empty receive (docs/reference/sqs.md headline 9)
    return kept ? { Messages: formatted.slice(0, kept) } : {}
  },
})

/** Room in an answer for the envelope around its messages (request id, list tags). */
const envelopeBytes = 4_096

/** How many of the messages, from the first, fit in an answer of at most `limit` bytes (all without a limit). */
function withinAnswerLimit(messages: unknown[], limit: number | undefined) {
  if (!limit) return messages.length
  let used = envelopeBytes
  for (let i = 0; i < messages.length; i++) {
    used += answerBytes(messages[i])
    if (used > limit && i > 0) return i
  }
  return messages.length
}
