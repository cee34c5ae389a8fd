/** @module actions/list-dead-letter-source-queues — ListDeadLetterSourceQueues: queues whose redrive policy targets this one. */
import * as z from 'zod'
import { resolveQueue, urlOf } from '../context.js'
import { defineAction } from './define.js'
import { integerIn, queueUrl } from './shared/schemas.js'

export const ListDeadLetterSourceQueues = defineAction({
  input: z.object({
    QueueUrl: queueUrl,
    NextToken: z.string().optional(),
    MaxResults: integerIn(1, 1000, 'MaxResults must be an integer between 1 and 1000.').optional(),
  }),
  async run({ QueueUrl, NextToken, MaxResults }, ctx) {
    const queue = await resolveQueue(ctx, QueueUrl)
    const page = await ctx.engine.listDeadLetterSourceQueues(queue, { maxResults: MaxResults, nextToken: NextToken })
    return { queueUrls: page.items.map((q) => urlOf(ctx, q)), ...(page.nextToken ? { NextToken: page.nextToken } : {}) }
  },
})
