/** @module actions/set-queue-attributes — SetQueueAttributes: validated like CreateQueue; FifoQueue is immutable. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { queueUrl, stringMap } from './shared/schemas.js'

export const SetQueueAttributes = defineAction({
  input: z.object({ QueueUrl: queueUrl, Attributes: stringMap }),
  async run({ QueueUrl, Attributes }, ctx) {
    await ctx.engine.setQueueAttributes(await resolveQueue(ctx, QueueUrl), Attributes)
    return {}
  },
})
