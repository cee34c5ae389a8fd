/** @module actions/tag-queue — TagQueue: add or overwrite tags. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { queueUrl, stringMap } from './shared/schemas.js'

export const TagQueue = defineAction({
  input: z.object({ QueueUrl: queueUrl, Tags: stringMap }),
  async run({ QueueUrl, Tags }, ctx) {
    await ctx.engine.tagQueue(await resolveQueue(ctx, QueueUrl), Tags)
    return {}
  },
})
