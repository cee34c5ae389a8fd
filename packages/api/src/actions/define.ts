/** @module actions/define — an SQS action: its input schema (wire names) and what it does. */
import type * as z from 'zod'
import type { ActionContext } from '../context.js'

export interface Action<S extends z.ZodType = z.ZodType> {
  input: S
  run(input: z.output<S>, ctx: ActionContext): Promise<Record<string, unknown>>
}

export function defineAction<S extends z.ZodType>(action: Action<S>): Action<S> {
  return action
}
