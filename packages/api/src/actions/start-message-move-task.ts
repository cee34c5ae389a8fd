/** @module actions/start-message-move-task — StartMessageMoveTask: move a dead-letter queue's messages back (or elsewhere). */
import * as z from 'zod'
import { defineAction } from './define.js'
import { integerIn } from './shared/schemas.js'

/** @throws ResourceNotFoundException (404), InvalidParameterValue (not a DLQ; a task already active), UnsupportedOperation (FIFO) */
export const StartMessageMoveTask = defineAction({
  input: z.object({
    SourceArn: z.string(),
    DestinationArn: z.string().optional(),
    MaxNumberOfMessagesPerSecond: integerIn(1, 500, 'Must be between 1 and 500, if provided.').optional(),
  }),
  async run({ SourceArn, DestinationArn, MaxNumberOfMessagesPerSecond }, ctx) {
    const TaskHandle = await ctx.engine.startMessageMoveTask(ctx.accountId, {
      sourceArn: SourceArn, destinationArn: DestinationArn, maxNumberOfMessagesPerSecond: MaxNumberOfMessagesPerSecond,
    })
    return { TaskHandle }
  },
})
