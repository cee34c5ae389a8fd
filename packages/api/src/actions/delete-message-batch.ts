/** @module actions/delete-message-batch — DeleteMessageBatch: up to 10 handles, each succeeding or failing alone. */
import { z } from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { checkBatch, eachEntry, entries } from './shared/batch.js'
import { queueUrl } from './shared/schemas.js'

export const DeleteMessageBatch = defineAction({
  input: z.object({ QueueUrl: queueUrl, Entries: entries({ ReceiptHandle: z.string() }) }),
  async run({ QueueUrl, Entries }, ctx) {
    checkBatch(Entries, 'DeleteMessageBatchRequestEntry')
    const queue = await resolveQueue(ctx, QueueUrl)
    return eachEntry(Entries, async ({ Id, ReceiptHandle }) => {
      await ctx.engine.deleteMessage(queue, ReceiptHandle)
      return { Id }
    })
  },
})
