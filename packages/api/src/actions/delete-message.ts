/** @module actions/delete-message — DeleteMessage: remove a received message by its receipt handle. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { queueUrl } from './shared/schemas.js'

/** @throws ReceiptHandleIsInvalid (404), QueueDoesNotExist; FIFO: InvalidParameterValue for an expired handle */
export const DeleteMessage = defineAction({
  input: z.object({ QueueUrl: queueUrl, ReceiptHandle: z.string() }),
  async run({ QueueUrl, ReceiptHandle }, ctx) {
    const queue = await resolveQueue(ctx, QueueUrl)
    await ctx.engine.deleteMessage(queue, ReceiptHandle)
    return {}
  },
})
