/** @module actions/untag-queue — UntagQueue: remove tags by key (absent keys are ignored). */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { queueUrl, stringList } from './shared/schemas.js'

export const UntagQueue = defineAction({
  input: z.object({ QueueUrl: queueUrl, TagKeys: stringList }),
  async run({ QueueUrl, TagKeys }, ctx) {
    await ctx.engine.untagQueue(await resolveQueue(ctx, QueueUrl), TagKeys)
    return {}
  },
})
