/** @module actions/create-queue — CreateQueue: a new queue, or the URL of an identical existing one. */
import * as z from 'zod'
import { urlOf } from '../context.js'
import { defineAction } from './define.js'
import { stringMap, tagMap } from './shared/schemas.js'

/** @throws QueueNameExists, QueueDeletedRecently, InvalidAttributeName, InvalidAttributeValue, InvalidParameterValue */
export const CreateQueue = defineAction({
  input: z.object({ QueueName: z.string(), Attributes: stringMap.optional(), tags: tagMap.optional() }),
  async run({ QueueName, Attributes, tags }, ctx) {
    const queue = await ctx.engine.createQueue({ accountId: ctx.accountId, name: QueueName, attributes: Attributes ?? {}, tags: tags ?? {} })
    return { QueueUrl: urlOf(ctx, queue) }
  },
})
