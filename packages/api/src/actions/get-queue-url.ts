/** @module actions/get-queue-url — GetQueueUrl: a queue's URL by name (own account only). */
import { QueueDoesNotExist } from '@dqs/core'
import * as z from 'zod'
import { urlOf } from '../context.js'
import { defineAction } from './define.js'

/** @throws QueueDoesNotExist — also for another account's queue: accounts never see each other's queues */
export const GetQueueUrl = defineAction({
  input: z.object({ QueueName: z.string(), QueueOwnerAWSAccountId: z.string().optional() }),
  async run({ QueueName, QueueOwnerAWSAccountId }, ctx) {
    if (QueueOwnerAWSAccountId !== undefined && QueueOwnerAWSAccountId !== ctx.accountId) throw new QueueDoesNotExist()
    const queue = await ctx.engine.getQueue(ctx.accountId, QueueName)
    return { QueueUrl: urlOf(ctx, queue) }
  },
})
