/** @module actions/purge-queue — PurgeQueue: drops every message; one purge per queue per 60 s. */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { queueUrl } from './shared/schemas.js'

/** @throws PurgeQueueInProgress (403), QueueDoesNotExist */
export const PurgeQueue = defineAction({
  input: z.object({ QueueUrl: queueUrl }),
  async run({ QueueUrl }, ctx) {
    await ctx.engine.purgeQueue(await resolveQueue(ctx, QueueUrl))
    return {}
  },
})
