/** @module actions/tag-queue — TagQueue: add or overwrite tags. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { queueUrl, tagMap } from './shared/schemas.js'

export const TagQueue = defineAction({
  input: z.object({ QueueUrl: queueUrl, Tags: tagMap }),
  async run({ QueueUrl, Tags }, ctx) {
    await ctx.engine.tagQueue(await resolveQueue(ctx, QueueUrl), Tags)
    return {}
  },
})
