/** @module engine/standard/receive — one receive attempt on a standard queue: find candidates, claim, redrive. */
import { newToken } from '../../ids.js'
import { shuffled } from '../../shuffle.js'
import type { StoredMessage } from '../../model/message.js'
import { queueSettings, type Queue } from '../../model/queue.js'
import { encodeReceiptHandle } from '../../model/receipt-handle.js'
import { shardPartition } from '../../storage/keys.js'
import { chunkCount } from '../../storage/message-item.js'
import { claimMessage, loadBodies, queryCandidates, type MessageStore } from '../../storage/message-store.js'
import type { EngineDeps } from '../deps.js'
import { claimHint, hintKey } from './claim-hint.js'
import { deadLetterTarget, redriveToDeadLetterQueue } from './redrive.js'

export interface ReceivedMessage extends StoredMessage {
  receiptHandle: string
}

/** Evaluated items per page and pages per shard: the bound on reading in-flight items that sit ahead of visible ones. */
const pageSize = 25
const pagesPerShard = 3

/**
 * Claims up to `max` messages: shards in random order, each read oldest first for a few pages, candidates
 * shuffled so concurrent receives spread out, and those another receive on this instance just tried skipped.
 * A candidate past maxReceiveCount goes to the dead-letter queue instead of being returned.
 */
export async function receiveStandardOnce(
  deps: EngineDeps,
  queue: Queue,
  options: { max: number; visibilityTimeout: number },
): Promise<ReceivedMessage[]> {
  const store: MessageStore = { db: deps.db, table: deps.tables.messages }
  const settings = queueSettings(queue)
  const dlq = settings.redrivePolicy ? await deadLetterTarget(deps, queue, settings.redrivePolicy) : null
  const hint = claimHint(deps)
  const claimed: Array<Record<string, unknown>> = []
  const receivedAt = new Map<Record<string, unknown>, number>()
  for (const shard of shuffled([...Array(queue.shards).keys()])) {
    let startKey: Record<string, unknown> | undefined
    for (let page = 0; page < pagesPerShard && claimed.length < options.max; page++) {
      const now = deps.clock.now()
      const oldest = now - settings.messageRetentionPeriod * 1000
      const result = await queryCandidates(store, shardPartition(queue.id, queue.gen, shard), { now, sentAfter: oldest }, pageSize, startKey)
      const candidates = shuffled(result.candidates.filter((c) => c.sentAt > oldest && hint.free(hintKey(c))))
      for (let i = 0; i < candidates.length && claimed.length < options.max; ) {
        const batch = candidates.slice(i, i + options.max - claimed.length)
        i += batch.length
        await Promise.all(batch.map(async (candidate) => {
          hint.take(hintKey(candidate))
          if (dlq && candidate.receiveCount >= dlq.maxReceiveCount) {
            await redriveToDeadLetterQueue(deps, store, queue, dlq.queue, candidate)
            return
          }
          const visibleAt = now + options.visibilityTimeout * 1000
          const item = await claimMessage(store, candidate, { now, visibleAt, token: newToken() })
          if (item) {
            hint.claimed(hintKey(candidate), visibleAt)
            claimed.push(item)
            receivedAt.set(item, now)
          }
        }))
      }
      startKey = result.lastKey
      if (!startKey) break
    }
    if (claimed.length >= options.max) break
  }
  const messages = await loadBodies(store, claimed)
  return messages.map((message, i) => ({
    ...message,
    receiptHandle: encodeReceiptHandle(
      { q: queue.id, p: message.pk, s: message.sk, t: message.token, v: message.visibleAt, r: receivedAt.get(claimed[i]!)!, c: chunkCount(claimed[i]!) },
      deps.config.receiptKey,
    ),
  }))
}
