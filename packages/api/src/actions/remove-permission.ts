/** @module actions/remove-permission — RemovePermission: drop the statement with that label. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { queueUrl } from './shared/schemas.js'

export const RemovePermission = defineAction({
  input: z.object({ QueueUrl: queueUrl, Label: z.string() }),
  async run({ QueueUrl, Label }, ctx) {
    await ctx.engine.removePermission(await resolveQueue(ctx, QueueUrl), Label)
    return {}
  },
})
