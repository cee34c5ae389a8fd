/** @module dispatch — action name → registry → schema → run; an unknown name is InvalidAction. */
import { InvalidAction } from '@dqs/core'
import { actions } from './actions/index.js'
import type { ActionContext } from './context.js'
import { zodToSqsError } from './protocol/zod-issues.js'

export async function dispatch(action: string, input: Record<string, unknown>, ctx: ActionContext) {
  const definition = Object.hasOwn(actions, action) ? actions[action as keyof typeof actions] : undefined
  if (!definition) throw new InvalidAction(action)
  const parsed = definition.input.safeParse(input)
  if (!parsed.success) throw zodToSqsError(parsed.error, input)
  return (definition.run as (input: unknown, ctx: ActionContext) => Promise<Record<string, unknown>>)(parsed.data, ctx)
}
