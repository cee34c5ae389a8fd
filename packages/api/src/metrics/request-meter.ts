/** @module metrics/request-meter — times each SQS request and counts it by action and outcome. */
import { sqsErrorOf } from '@dqs/core'
import type { Context, MiddlewareHandler } from 'hono'
import { actions } from '../actions/index.js'
import type { DqsMetrics } from './registry.js'

/** What the SQS handler tells the meter about a request: its action, and its failure if it failed. */
export function noteAction(c: Context, action: string) {
  c.set('dqsAction' as never, action as never)
}
export function noteFailure(c: Context, error: unknown) {
  c.set('dqsFailure' as never, error as never)
}

/** Only DQS's own action names become labels: a client's made-up name would make a series per request. */
const actionLabel = (action: unknown) => (typeof action === 'string' && Object.hasOwn(actions, action) ? action : 'unknown')

export function requestMeter(metrics: DqsMetrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const failure = c.get('dqsFailure' as never) as unknown
    const code = failure === undefined ? undefined : (sqsErrorOf(failure)?.shape ?? 'InternalFailure')
    metrics.request(actionLabel(c.get('dqsAction' as never)), c.res.status, code, (performance.now() - started) / 1000)
  }
}
