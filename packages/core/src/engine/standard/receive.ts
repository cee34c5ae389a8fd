/** @module engine/standard/receive — one receive attempt on a standard queue: find candidates, claim, redrive. */
import { newToken } from '../../ids.js'
import { shuffled } from '../../shuffle.js'
import type { StoredMessage } from '../../model/message.js'
import { queueSettings, type Queue } from '../../model/queue.js'
import { encodeReceiptHandle } from '../../model/receipt-handle.js'
import { shardPartition } from '../../storage/keys.js'
import { chunkCount } from '../../storage/message-item.js'
import {
  claimMessage, deleteExpiredMessage, findReceivable, loadBodies, type IndexedCandidate, type MessageStore,
} from '../../storage/message-store.js'
import type { EngineDeps } from '../deps.js'
import { claimHint, hintKey } from './claim-hint.js'
import { deadLetterTarget, redriveToDeadLetterQueue } from './redrive.js'

export interface ReceivedMessage extends StoredMessage {
  receiptHandle: string
}

/** Index entries read per region of a shard: a full batch, with room for those other receives here are trying. */
const perRegion = 25
/**
 * Shards one receive reads, in parallel: every shard of a queue with the default 4, so one consumer gets the oldest
 * messages first; a random 4 of a queue with more, so a receive's reads stay bounded.
 */
const shardsRead = 4

/**
 * Claims up to `max` messages, oldest first: those whose visibility timeout or delay ran out, then fresh ones by
 * send time (storage/ready-index.ts). Candidates another receive on this instance is trying are left to it; once a
 * claim is lost to another instance, the rest are tried in random order so that concurrent receives spread out.
 * A candidate past maxReceiveCount goes to the dead-letter queue, one past retention is deleted.
 */
export async function receiveStandardOnce(
  deps: EngineDeps,
  queue: Queue,
  options: { max: number; visibilityTimeout: number },
): Promise<ReceivedMessage[]> {
  const store: MessageStore = { db: deps.db, table: deps.tables.messages }
  const settings = queueSettings(queue)
  const dlq = settings.redrivePolicy ? await deadLetterTarget(deps, queue, settings.redrivePolicy) : null
  const now = deps.clock.now()
  const sentAfter = now - settings.messageRetentionPeriod * 1000
  const shards = shuffled([...Array(queue.shards).keys()]).slice(0, shardsRead)
  const found = await Promise.all(shards.map((shard) =>
    findReceivable(store, shardPartition(queue.id, queue.gen, shard), { now, sentAfter }, perRegion)))
  const byReady = (a: IndexedCandidate, b: IndexedCandidate) => a.ready - b.ready
  let pending = [...found.flatMap((f) => f.hidden).sort(byReady), ...found.flatMap((f) => f.fresh).sort(byReady)]

  const hint = claimHint(deps)
  const visibleAt = now + options.visibilityTimeout * 1000
  const claimed: Array<Record<string, unknown>> = []
  let contended = false
  while (claimed.length < options.max) {
    pending = pending.filter((candidate) => hint.free(hintKey(candidate)))
    if (!pending.length) break
    const batch = pending.splice(0, options.max - claimed.length)
    for (const candidate of batch) hint.take(hintKey(candidate))
    await Promise.all(batch.map(async (candidate) => {
      const outcome = await claimMessage(store, candidate, { now, visibleAt, token: newToken(), maxReceiveCount: dlq?.maxReceiveCount })
      if ('claimed' in outcome) {
        hint.claimed(hintKey(candidate), visibleAt)
        claimed.push(outcome.claimed)
      } else if ('expired' in outcome) {
        await deleteExpiredMessage(store, outcome.expired, now)
      } else if ('deadLetter' in outcome) {
        await redriveToDeadLetterQueue(deps, store, queue, dlq!.queue, outcome.deadLetter)
      } else {
        contended = true
      }
    }))
    if (contended) pending = shuffled(pending)
  }
  const messages = await loadBodies(store, claimed)
  return messages.map((message, i) => ({
    ...message,
    receiptHandle: encodeReceiptHandle(
      { q: queue.id, p: message.pk, s: message.sk, t: message.token, v: message.visibleAt, r: now, c: chunkCount(claimed[i]!) },
      deps.config.receiptKey,
    ),
  }))
}
