/** @module actions/list-message-move-tasks — ListMessageMoveTasks: a source queue's most recent move tasks. */
import * as z from 'zod'
import { defineAction } from './define.js'
import { integerIn } from './shared/schemas.js'

/** @throws ResourceNotFoundException (404) */
export const ListMessageMoveTasks = defineAction({
  input: z.object({
    SourceArn: z.string(),
    MaxResults: integerIn(1, 10, 'Must be between 1 and 10, if provided.').optional(),
  }),
  async run({ SourceArn, MaxResults }, ctx) {
    const tasks = await ctx.engine.listMessageMoveTasks(ctx.accountId, SourceArn, MaxResults ?? 1)
    return {
      Results: tasks.map((task) => ({
        TaskHandle: task.taskHandle,
        Status: task.status,
        SourceArn: task.sourceArn,
        DestinationArn: task.destinationArn,
        MaxNumberOfMessagesPerSecond: task.maxNumberOfMessagesPerSecond,
        ApproximateNumberOfMessagesMoved: task.moved,
        ApproximateNumberOfMessagesToMove: task.toMove,
        FailureReason: task.failureReason,
        StartedTimestamp: task.startedAt,
      })),
    }
  },
})
