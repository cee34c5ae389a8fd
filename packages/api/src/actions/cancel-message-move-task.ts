/** @module actions/cancel-message-move-task — CancelMessageMoveTask: stop a running move task after its current batch. */
import * as z from 'zod'
import { defineAction } from './define.js'

/** @throws InvalidParameterValue (malformed handle), ResourceNotFoundException (no such running task) */
export const CancelMessageMoveTask = defineAction({
  input: z.object({ TaskHandle: z.string() }),
  async run({ TaskHandle }, ctx) {
    return { ApproximateNumberOfMessagesMoved: await ctx.engine.cancelMessageMoveTask(ctx.accountId, TaskHandle) }
  },
})
