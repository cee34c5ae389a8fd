/** @module actions/delete-queue — DeleteQueue: gone at once; messages are removed in the background. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { queueUrl } from './shared/schemas.js'

export const DeleteQueue = defineAction({
  input: z.object({ QueueUrl: queueUrl }),
  async run({ QueueUrl }, ctx) {
    await ctx.engine.deleteQueue(await resolveQueue(ctx, QueueUrl))
    return {}
  },
})
