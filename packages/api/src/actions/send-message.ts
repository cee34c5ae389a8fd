/** @module actions/send-message — SendMessage: one message, durably written before the 200. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { sendFields, sendResultMembers, toSendEntry } from './shared/message-schemas.js'
import { queueUrl } from './shared/schemas.js'

/** @throws MissingParameter, InvalidMessageContents, InvalidParameterValue, QueueDoesNotExist */
export const SendMessage = defineAction({
  input: z.object({ QueueUrl: queueUrl, ...sendFields }),
  async run(input, ctx) {
    const queue = await resolveQueue(ctx, input.QueueUrl)
    const [result] = await ctx.engine.sendMessages(queue, [toSendEntry(input, ctx.traceHeader)], ctx.accountId)
    if (!result!.ok) throw result!.error
    return sendResultMembers(result!.value)
  },
})
