/** @module actions/change-message-visibility — ChangeMessageVisibility: a received message's new timeout, from now. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { integerIn, queueUrl } from './shared/schemas.js'

export const visibilityTimeout = integerIn(0, 43_200, 'VisibilityTimeout must be an integer between 0 and 43200.')

/** @throws ReceiptHandleIsInvalid (404), InvalidParameterValue (message gone, or past the 12-hour cap) */
export const ChangeMessageVisibility = defineAction({
  input: z.object({ QueueUrl: queueUrl, ReceiptHandle: z.string(), VisibilityTimeout: visibilityTimeout }),
  async run({ QueueUrl, ReceiptHandle, VisibilityTimeout }, ctx) {
    const queue = await resolveQueue(ctx, QueueUrl)
    await ctx.engine.changeMessageVisibility(queue, ReceiptHandle, VisibilityTimeout)
    return {}
  },
})
