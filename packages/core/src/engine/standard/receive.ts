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
import { beginReceive } from './contention.js'
import { deadLetterTarget, redriveToDeadLetterQueue } from './redrive.js'

export interface ReceivedMessage extends StoredMessage {
  receiptHandle: string
}

/** Index entries read per region of a shard: a full batch, with room for those other receives here are trying. */
const perRegion = 25
/**
 * Shards a quiet receive reads, in parallel: every shard of a queue with the default 4, so one consumer gets the
 * oldest messages first; a random 4 of a queue with more, so a receive's reads stay bounded.
 */
const shardsRead = 4

/**
 * Claims up to `max` messages. On a quiet queue, oldest first: those whose visibility timeout or delay ran out, then
 * fresh ones by send time (storage/ready-index.ts), from every shard. On a busy one (engine/standard/contention.ts),
 * a random shard at a time, candidates shuffled. Candidates another receive on this instance is trying are left to
 * it. A candidate past maxReceiveCount goes to the dead-letter queue, one past retention is deleted.
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
  const find = (shard: number) => findReceivable(store, shardPartition(queue.id, queue.gen, shard), { now, sentAfter }, perRegion)
  const shards = shuffled([...Array(queue.shards).keys()])
  const hint = claimHint(deps)
  const visibleAt = now + options.visibilityTimeout * 1000
  const claimed: Array<Record<string, unknown>> = []
  const turn = beginReceive(deps, queue.id)

  /** Claims candidates in the order given until `max`; once one is lost to another receive, the rest in random order. */
  const claim = async (candidates: IndexedCandidate[]) => {
    let pending = candidates
    while (claimed.length < options.max) {
      pending = pending.filter((candidate) => hint.free(hintKey(candidate)))
      if (!pending.length) return
      const batch = pending.splice(0, options.max - claimed.length)
      for (const candidate of batch) hint.take(hintKey(candidate))
      let lost = false
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
          lost = true
        }
      }))
      if (lost) {
        turn.lost()
        pending = shuffled(pending)
      }
    }
  }

  try {
    if (turn.busy) {
      for (const shard of shards) {
        const { hidden, fresh } = await find(shard)
        await claim(shuffled([...hidden, ...fresh]))
        if (claimed.length >= options.max) break
      }
    } else {
      const found = await Promise.all(shards.slice(0, shardsRead).map(find))
      const byReady = (a: IndexedCandidate, b: IndexedCandidate) => a.ready - b.ready
      await claim([...found.flatMap((f) => f.hidden).sort(byReady), ...found.flatMap((f) => f.fresh).sort(byReady)])
    }
  } finally {
    turn.done()
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
