/** @module actions/list-queues — ListQueues: queue URLs by name prefix, paged when MaxResults is given. */
import * as z from 'zod'
import { urlOf } from '../context.js'
import { defineAction } from './define.js'
import { integerIn } from './shared/schemas.js'

export const ListQueues = defineAction({
  input: z.object({
    QueueNamePrefix: z.string().optional(),
    NextToken: z.string().optional(),
    MaxResults: integerIn(1, 1000, 'MaxResults must be an integer between 1 and 1000.').optional(),
  }),
  async run({ QueueNamePrefix, NextToken, MaxResults }, ctx) {
    const page = await ctx.engine.listQueues(ctx.accountId, { prefix: QueueNamePrefix, maxResults: MaxResults, nextToken: NextToken })
    return {
      ...(page.items.length ? { QueueUrls: page.items.map((queue) => urlOf(ctx, queue)) } : {}),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    }
  },
})
