/** @module context — what an action is given: the caller's account, where it called, and the engine. */
import type { Engine, Queue } from '@dqs/core'
import { queueOfParameter, queueUrl } from './queue-url.js'
import { QueueDoesNotExist } from '@dqs/core'

export interface ActionContext {
  accountId: string
  region: string
  /** Scheme and host the request came to (`http://127.0.0.1:9324`): queue URLs are built from it. */
  baseUrl: string
  requestId: string
  engine: Engine
  /** Aborts when the caller goes away: a long poll stops waiting. */
  signal?: AbortSignal
  /** The request's `X-Amzn-Trace-Id` header: SendMessage(Batch) give it to each message as its AWSTraceHeader. */
  traceHeader?: string
  /** The platform's limit on an answer (Lambda: 6 MB): a receive answers fewer messages rather than fail. */
  maxAnswerBytes?: number
}

/** The caller's queue named by a QueueUrl; another account's queue does not exist for the caller. */
export async function resolveQueue(ctx: ActionContext, url: string): Promise<Queue> {
  const parsed = queueOfParameter(url, ctx.accountId)
  if (!parsed || parsed.accountId !== ctx.accountId) throw new QueueDoesNotExist()
  return ctx.engine.getQueue(ctx.accountId, parsed.name)
}

export const urlOf = (ctx: ActionContext, queue: Queue) => queueUrl(ctx.baseUrl, queue.accountId, queue.name)
