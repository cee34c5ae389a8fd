/** @module actions/get-queue-attributes — GetQueueAttributes: the named attributes, or All. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { nameList, queueUrl } from './shared/schemas.js'

/** @throws InvalidAttributeName for a name SQS does not know */
export const GetQueueAttributes = defineAction({
  input: z.object({ QueueUrl: queueUrl, AttributeNames: nameList.optional() }),
  async run({ QueueUrl, AttributeNames }, ctx) {
    const queue = await resolveQueue(ctx, QueueUrl)
    const attributes = await ctx.engine.getQueueAttributes(queue, AttributeNames ?? [])
    return Object.keys(attributes).length ? { Attributes: attributes } : {}
  },
})
