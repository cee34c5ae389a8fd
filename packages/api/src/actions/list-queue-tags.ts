/** @module actions/list-queue-tags — ListQueueTags: a queue's tags (no Tags member when there are none). */
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { queueUrl } from './shared/schemas.js'

export const ListQueueTags = defineAction({
  input: z.object({ QueueUrl: queueUrl }),
  async run({ QueueUrl }, ctx) {
    const queue = await resolveQueue(ctx, QueueUrl)
    return Object.keys(queue.tags).length ? { Tags: queue.tags } : {}
  },
})
