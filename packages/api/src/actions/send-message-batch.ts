/** @module actions/send-message-batch — SendMessageBatch: up to 10 messages, each succeeding or failing alone. */
import { BatchRequestTooLong, limits, messageSize } from '@dqs/core'
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { checkBatch, entries, failedEntry } from './shared/batch.js'
import { sendFields, sendResultMembers, toSendEntry } from './shared/message-schemas.js'
import { queueUrl } from './shared/schemas.js'

/** Body plus attribute names, types and values: what SQS counts toward the 1 MiB batch limit. */
function batchBytes(list: Array<z.output<z.ZodObject<typeof sendFields>>>) {
  return list.reduce((sum, e) => sum + messageSize(e.MessageBody ?? '', e.MessageAttributes ?? {}), 0)
}

/**
 * @throws EmptyBatchRequest, TooManyEntriesInBatchRequest, InvalidBatchEntryId, BatchEntryIdsNotDistinct, BatchRequestTooLong,
 * QueueDoesNotExist, InvalidParameterValue (FIFO: an entry without MessageGroupId, or without a needed MessageDeduplicationId)
 */
export const SendMessageBatch = defineAction({
  input: z.object({ QueueUrl: queueUrl, Entries: entries(sendFields) }),
  async run({ QueueUrl, Entries }, ctx) {
    checkBatch(Entries, 'SendMessageBatchRequestEntry')
    const bytes = batchBytes(Entries)
    if (bytes > limits.batchMaxBytes) throw new BatchRequestTooLong(bytes, limits.batchMaxBytes)
    const queue = await resolveQueue(ctx, QueueUrl)
    // on a FIFO queue a missing group or dedup id fails the whole request (docs/reference/sqs.md §c)
    const entriesToSend = Entries.map((entry) => toSendEntry(entry, ctx.traceHeader))
    const results = await ctx.engine.sendMessages(queue, entriesToSend, ctx.accountId, { batch: true })
    const Successful = []
    const Failed = []
    for (const [i, result] of results.entries()) {
      const Id = Entries[i]!.Id
      // a storage failure fails only the entries it touched: the others were written and are reported so
      if (result.ok) Successful.push({ Id, ...sendResultMembers(result.value) })
      else Failed.push(failedEntry(Id, result.error))
    }
    return { Successful, Failed }
  },
})
