/** @module actions/delete-message-batch — DeleteMessageBatch: up to 10 handles, each succeeding or failing alone. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { checkBatch, entries, failedEntry } from './shared/batch.js'
import { queueUrl } from './shared/schemas.js'

/** Standard queues delete the whole batch with one BatchWriteItem; see Engine.deleteMessageBatch. */
export const DeleteMessageBatch = defineAction({
  input: z.object({ QueueUrl: queueUrl, Entries: entries({ ReceiptHandle: z.string() }) }),
  async run({ QueueUrl, Entries }, ctx) {
    checkBatch(Entries, 'DeleteMessageBatchRequestEntry')
    const queue = await resolveQueue(ctx, QueueUrl)
    const errors = await ctx.engine.deleteMessageBatch(queue, Entries.map((e) => e.ReceiptHandle))
    return {
      Successful: Entries.flatMap(({ Id }, i) => (errors[i] ? [] : [{ Id }])),
      Failed: Entries.flatMap(({ Id }, i) => (errors[i] ? [failedEntry(Id, errors[i]!)] : [])),
    }
  },
})
