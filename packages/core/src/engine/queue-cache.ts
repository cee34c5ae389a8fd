/** @module engine/queue-cache — per-instance cache of queue items, for at most `queueCacheMs` (SQS itself takes up to 60 s to propagate attribute changes). */
import { parseQueueArn, type Queue } from '../model/queue.js'
import { getQueueItem } from '../storage/queue-store.js'
import type { EngineDeps } from './deps.js'

const cacheKey = (accountId: string, name: string) => `${accountId}/${name}`

/** The queue, or null when it does not exist; served from cache when fresh. */
export async function lookupQueue(deps: EngineDeps, accountId: string, name: string): Promise<Queue | null> {
  const cache = deps.state.queues
  const key = cacheKey(accountId, name)
  const hit = cache.get(key)
  const now = deps.clock.now()
  if (hit && now - hit.at < deps.config.queueCacheMs) return hit.queue
  const queue = await getQueueItem({ db: deps.db, table: deps.tables.queues }, accountId, name)
  if (deps.config.queueCacheMs > 0) cache.set(key, { queue, at: now })
  return queue
}

/** A queue of `accountId` by ARN, or null: another account's queues are never visible. */
export async function lookupQueueByArn(deps: EngineDeps, accountId: string, arn: string): Promise<Queue | null> {
  const parts = parseQueueArn(arn)
  if (!parts || parts.accountId !== accountId) return null
  return lookupQueue(deps, accountId, parts.name)
}

/** Record this instance's own change at once, so it reads its writes. */
export function rememberQueue(deps: EngineDeps, accountId: string, name: string, queue: Queue | null) {
  if (deps.config.queueCacheMs > 0) deps.state.queues.set(cacheKey(accountId, name), { queue, at: deps.clock.now() })
}
