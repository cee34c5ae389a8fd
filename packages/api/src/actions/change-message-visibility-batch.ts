/** @module actions/change-message-visibility-batch — ChangeMessageVisibilityBatch: up to 10 changes, each alone. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { visibilityTimeout } from './change-message-visibility.js'
import { defineAction } from './define.js'
import { checkBatch, eachEntry, entries } from './shared/batch.js'
import { queueUrl } from './shared/schemas.js'

export const ChangeMessageVisibilityBatch = defineAction({
  input: z.object({ QueueUrl: queueUrl, Entries: entries({ ReceiptHandle: z.string(), VisibilityTimeout: visibilityTimeout }) }),
  async run({ QueueUrl, Entries }, ctx) {
    checkBatch(Entries, 'ChangeMessageVisibilityBatchRequestEntry')
    const queue = await resolveQueue(ctx, QueueUrl)
    return eachEntry(Entries, async ({ Id, ReceiptHandle, VisibilityTimeout }) => {
      await ctx.engine.changeMessageVisibility(queue, ReceiptHandle, VisibilityTimeout)
      return { Id }
    })
  },
})
