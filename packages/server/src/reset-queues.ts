/** @module local/reset-queues — every queue of an account emptied at once, for a test helper between tests. */
import { Engine, type Queue } from '@dqs/core'
import { applyQueues, type QueueSpec } from './apply-queues.js'

/**
 * Deletes every queue of the account and creates it again: declared queues as declared, the others as they were
 * (attributes and tags). A new queue has no messages, in flight or not, and a fresh deduplication window.
 *
 * Not PurgeQueue: SQS allows one purge per queue a minute, and the purge would count against the test's own
 * PurgeQueue calls. The deletes and creates go through an engine without the 60 s wait before a deleted queue's
 * name can be used again; the server must read queues fresh (no queue cache) to see the new ones at once.
 */
export async function resetQueues(engine: Engine, accountId: string, declared: QueueSpec[]): Promise<void> {
  const current = await allQueues(engine, accountId)
  const immediate = new Engine({ ...engine.deps, config: { ...engine.deps.config, deletedQueueCooldownMs: 0 } })
  await Promise.all(current.map((queue) => immediate.deleteQueue(queue)))
  const names = new Set(declared.map((spec) => spec.name))
  const undeclared = current.filter((queue) => !names.has(queue.name)).map(({ name, attributes, tags }) => ({ name, attributes, tags }))
  await applyQueues(immediate, accountId, [...declared, ...undeclared])
}

async function allQueues(engine: Engine, accountId: string): Promise<Queue[]> {
  const queues: Queue[] = []
  let nextToken: string | undefined
  do {
    const page = await engine.listQueues(accountId, { maxResults: 1000, nextToken })
    queues.push(...page.items)
    nextToken = page.nextToken
  } while (nextToken)
  return queues
}
