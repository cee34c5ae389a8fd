/** @module engine/standard/receive — one receive attempt on a standard queue: find candidates, claim, redrive. */
import { newToken } from '../../ids.js'
import { shuffled } from '../../shuffle.js'
import type { StoredMessage } from '../../model/message.js'
import { queueSettings, type Queue } from '../../model/queue.js'
import { encodeReceiptHandle } from '../../model/receipt-handle.js'
import { shardPartition } from '../../storage/keys.js'
import { isHiddenReady } from '../../storage/ready-index.js'
import { chunkCount } from '../../storage/message-item.js'
import {
  claimMessages, deleteExpiredMessage, findReceivable, loadBodies, type IndexedCandidate, type MessageStore, type ReadyRegion,
} from '../../storage/message-store.js'
import type { EngineDeps } from '../deps.js'
import { claimHint, hintKey } from './claim-hint.js'
import { beginReceive } from './contention.js'
import { shardReads } from './shard-reads.js'
import { deadLetterTarget, redriveToDeadLetterQueue } from './redrive.js'

export interface ReceivedMessage extends StoredMessage {
  receiptHandle: string
}

/** What a receive read of one shard: fresh candidates, and hidden ones unless the hidden region was not due. */
interface ShardRead {
  shard: number
  fresh: IndexedCandidate[]
  /** the fresh region held more than was read */
  backlog: boolean
  /** the fresh candidates are what is left of an earlier read's page */
  paged: boolean
  hidden?: IndexedCandidate[]
}

/** Index entries read per region of a shard: a full batch, with room for those other receives here are trying. */
const perRegion = 25
/**
 * At most this many when other receives run here: each of them may hold a batch of the same shard's head, and a
 * receive that reads past them needs no second query (4 KB of index entries, 0.5 RRU, is about 30).
 */
const perRegionBusy = 100
/**
 * Shards a quiet receive reads, in parallel: every shard of a queue with the default 4, so one consumer gets the
 * oldest messages first; a random 4 of a queue with more, so a receive's reads stay bounded.
 */
const shardsRead = 4

/**
 * Claims up to `max` messages. On a quiet queue, oldest first: those whose visibility timeout or delay ran out, then
 * fresh ones by send time (storage/ready-index.ts), from every shard. On a busy one (engine/standard/contention.ts),
 * a random shard at a time, candidates shuffled. While a shard has a backlog of fresh messages, its hidden region is
 * read at most once a second, and a shard's fresh region is taken from the page a receive here read just before
 * while that page still holds a whole batch (engine/standard/shard-reads.ts). Candidates another receive on this
 * instance is trying are left to it. A candidate past maxReceiveCount goes to the dead-letter queue, one past
 * retention is deleted.
 */
export async function receiveStandardOnce(
  deps: EngineDeps,
  queue: Queue,
  options: {
    max: number
    visibilityTimeout: number
    /**
     * Only these shards' fresh messages: a waiting poll woken by sends alone, which say where they wrote
     * (engine/long-poll.ts). Everything else was looked at by the poll's earlier tries.
     */
    shards?: readonly number[]
  },
): Promise<ReceivedMessage[]> {
  const store: MessageStore = { db: deps.db, table: deps.tables.messages }
  const settings = queueSettings(queue)
  const dlq = settings.redrivePolicy ? await deadLetterTarget(deps, queue, settings.redrivePolicy) : null
  const now = deps.clock.now()
  const sentAfter = now - settings.messageRetentionPeriod * 1000
  const turn = beginReceive(deps, queue.id)
  const limit = Math.min(perRegionBusy, perRegion + turn.others * options.max)
  const partition = (shard: number) => shardPartition(queue.id, queue.gen, shard)
  const find = (shard: number, region: ReadyRegion) => findReceivable(store, partition(shard), region, { now, sentAfter }, limit)
  const shards = shuffled([...Array(queue.shards).keys()])
  const hint = claimHint(deps)
  const reads = shardReads(deps, queue.id)
  const visibleAt = now + options.visibilityTimeout * 1000
  const claimed: Array<Record<string, unknown>> = []

  /**
   * Claims candidates in the order given until `max`, a batch of claims per request; once one is lost to another
   * receive, the rest in random order, unless they came from an earlier read's page: that page is stale, and so
   * likely are the rest.
   */
  const claim = async (candidates: IndexedCandidate[], fromPage = false) => {
    let pending = candidates
    while (claimed.length < options.max) {
      pending = pending.filter((candidate) => hint.free(hintKey(candidate)))
      if (!pending.length) return
      const batch = pending.splice(0, options.max - claimed.length)
      for (const candidate of batch) hint.take(hintKey(candidate))
      const outcomes = await claimMessages(store, batch, {
        now, visibleAt, tokens: batch.map(() => newToken()), maxReceiveCount: dlq?.maxReceiveCount,
      }).catch((error: unknown) => {
        // claimed or not, the next receive here may try them at once: their claim conditions decide
        for (const candidate of batch) hint.release(hintKey(candidate))
        throw error
      })
      let lost = false
      await Promise.all(outcomes.map(async (outcome, i) => {
        const candidate = batch[i]!
        if ('claimed' in outcome) {
          hint.claimed(hintKey(candidate), visibleAt)
          claimed.push(outcome.claimed)
        } else if ('expired' in outcome) {
          await deleteExpiredMessage(store, outcome.expired, now)
        } else if ('deadLetter' in outcome) {
          await redriveToDeadLetterQueue(deps, store, queue, dlq!.queue, outcome.deadLetter)
        } else if ('lost' in outcome) {
          lost = true
        } else {
          hint.release(hintKey(candidate))
        }
      }))
      if (lost) {
        turn.lost()
        reads.lost()
        if (fromPage) return
        pending = shuffled(pending)
      }
    }
  }

  /**
   * Both regions of a shard in one query, fresh entries first. Unless they filled it, every fresh entry is in it,
   * followed by the hidden ones it had room for; a query full of fresh entries (a backlog) is followed by one of
   * the hidden region alone.
   */
  const readBoth = async (shard: number): Promise<[IndexedCandidate[], IndexedCandidate[]]> => {
    const both = await find(shard, 'both')
    const hiddenStart = both.findIndex((candidate) => isHiddenReady(candidate.ready))
    if (hiddenStart >= 0) return [both.slice(0, hiddenStart), both.slice(hiddenStart)]
    return [both, both.length < limit ? [] : await find(shard, 'hidden')]
  }
  /**
   * Fresh candidates of `shard` (from a page read here just before, when it holds what is still to claim), and its
   * hidden ones when they are due (storage/ready-index.ts). A page serves a quiet receive in order too: the oldest
   * `max` of all shards' candidates are then older than anything of that shard the page does not list, since the
   * page alone lists `max` of them. A page read before a purge lists the purged generation's items: none of them.
   */
  const read = async (shard: number, hiddenToo: boolean): Promise<ShardRead> => {
    const due = hiddenToo && reads.hiddenDue(shard)
    const current = partition(shard)
    const page = reads.page(shard, options.max - claimed.length, (candidate) => candidate.pk === current && hint.free(hintKey(candidate)))
    // a shard that had a backlog would fill the one query with fresh entries: both regions at once, apart
    const [fresh, dueHidden] = page || !due || reads.backlog(shard)
      ? await Promise.all([page ?? find(shard, 'fresh'), due ? find(shard, 'hidden') : undefined])
      : await readBoth(shard)
    const backlog = page ? reads.backlog(shard) : fresh.length >= limit
    reads.read(shard, { hidden: due, backlog, fresh: page ? undefined : fresh })
    return { shard, fresh, backlog, paged: page !== undefined, hidden: dueHidden }
  }
  /** The hidden candidates of a shard whose backlog ran out since the last read (left unread, as it had one). */
  const rest = async (found: ShardRead) => {
    if (found.hidden || found.backlog) return []
    reads.read(found.shard, { hidden: true, backlog: false })
    return find(found.shard, 'hidden')
  }

  try {
    const hinted = options.shards !== undefined
    if (turn.busy) {
      for (const shard of options.shards ?? shards) {
        const found = await read(shard, !hinted)
        await claim(shuffled([...(found.hidden ?? []), ...found.fresh]), found.paged)
        if (claimed.length < options.max && !hinted) await claim(shuffled(await rest(found)))
        if (claimed.length >= options.max) break
      }
    } else {
      const found = await Promise.all((options.shards ?? shards.slice(0, shardsRead)).map(async (shard) => {
        const shardRead = await read(shard, !hinted)
        return { fresh: shardRead.fresh, hidden: hinted ? [] : shardRead.hidden ?? await rest(shardRead) }
      }))
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
