/** @module engine/fifo/receive — one receive attempt on a FIFO queue: oldest ready groups first, each locked with one write. */
import { newToken } from '../../ids.js'
import { queueSettings, type Queue } from '../../model/queue.js'
import { encodeReceiptHandle } from '../../model/receipt-handle.js'
import { deleteFinishedMessages, queryReadyGroups, readGroup, writeGroup } from '../../storage/fifo-store.js'
import { fifoReadyShard } from '../../storage/keys.js'
import type { EngineDeps } from '../deps.js'
import { deadLetterTarget } from '../standard/redrive.js'
import type { ReceivedMessage } from '../standard/receive.js'
import { headInFlightUntil } from './group-state.js'
import { ReceivePlan } from './receive-plan.js'
import { moveToDeadLetterQueue } from './redrive.js'
import { fifoStore } from './store.js'

/** Index entries read per shard: enough groups to fill a receive of 10 even when some were just taken. */
const candidatesPerShard = 20
/** Pages of one group read per receive: bounds the cost of finished items not yet removed. */
const pagesPerGroup = 3

/**
 * The groups receivable now, oldest first across every shard of the `ready` index (a group's place there is when
 * its head became receivable, or when its lock ends). Eventually consistent: each is re-checked on its group item.
 */
async function readyGroups(deps: EngineDeps, queue: Queue, now: number): Promise<string[]> {
  const shards = await Promise.all([...Array(queue.shards).keys()].map((shard) =>
    queryReadyGroups(fifoStore(deps), fifoReadyShard(queue.id, queue.gen, shard), now, candidatesPerShard)))
  return shards.flat().sort((a, b) => a.ready - b.ready).slice(0, candidatesPerShard).map((g) => g.pk)
}

/**
 * Fills the receive from the oldest receivable group, taking as many of its messages as it can, then the next
 * (docs/reference/sqs.md §b.2). A group another receive locked first is skipped: contention, not an error.
 */
export async function receiveFifoOnce(
  deps: EngineDeps,
  queue: Queue,
  options: { max: number; visibilityTimeout: number },
): Promise<ReceivedMessage[]> {
  const policy = queueSettings(queue).redrivePolicy
  const target = policy ? await deadLetterTarget(deps, queue, policy) : null
  // a queue named as its own dead-letter queue keeps its messages (a move would touch one group item twice)
  const dlq = target && target.queue.id !== queue.id ? target : null
  const received: ReceivedMessage[] = []
  const candidates = await readyGroups(deps, queue, deps.clock.now())
  let contended = false
  for (let i = 0; i < candidates.length && received.length < options.max; i++) {
    const taken = await receiveFromGroup(deps, queue, candidates[i]!, { ...options, want: options.max - received.length, dlq })
    if (taken === 'busy' && !contended) {
      // other receives are taking the oldest groups too: spread out over the rest instead of all trying the next
      contended = true
      shuffleFrom(candidates, i + 1)
    }
    if (taken !== 'busy') received.push(...taken)
  }
  return received
}

function shuffleFrom<T>(items: T[], start: number) {
  for (let i = items.length - 1; i > start; i--) {
    const j = start + Math.floor(Math.random() * (i - start + 1))
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
}

async function receiveFromGroup(
  deps: EngineDeps,
  queue: Queue,
  pk: string,
  options: { want: number; visibilityTimeout: number; dlq: Awaited<ReturnType<typeof deadLetterTarget>> },
): Promise<ReceivedMessage[] | 'busy'> {
  const store = fifoStore(deps)
  // one round per message moved to the dead-letter queue, so at most one more than a batch
  for (let round = 0; round <= options.want + 1; round++) {
    const plan = await planGroup(deps, pk, options.want, options.dlq?.maxReceiveCount)
    if (plan === 'busy' || plan === null) return plan ?? []
    if (plan.poison) {
      if (await moveToDeadLetterQueue(deps, queue, options.dlq!.queue, plan.group, plan.poison)) continue
      return 'busy'
    }
    const now = deps.clock.now()
    const token = newToken()
    const until = now + options.visibilityTimeout * 1000
    const change = plan.change(token, until)
    const written = change !== null && (await writeGroup(store, plan.group, change))
    // clean-up only: the group item is what makes these messages finished
    await deleteFinishedMessages(store, written ? [...plan.leftovers, ...plan.expired] : plan.leftovers).catch(() => undefined)
    if (change !== null && !written) return 'busy'
    if (plan.selected.length === 0) return []
    return plan.selected.map((message) => {
      const history = plan.history(message.sequenceNumber!)
      return {
        ...message,
        visibleAt: until,
        token,
        receiveCount: history.receiveCount,
        firstReceiveAt: history.firstReceivedAt,
        receiptHandle: encodeReceiptHandle(
          { q: queue.id, p: message.pk, s: message.sk, t: token, v: until, r: now },
          deps.config.receiptKey,
        ),
      }
    })
  }
  return []
}

/**
 * Reads the group and its head messages (consistent) and plans the receive; null when the group is gone, 'busy'
 * when its head is in flight (another receive took it since the index entry was read).
 */
async function planGroup(deps: EngineDeps, pk: string, want: number, maxReceiveCount?: number) {
  const store = fifoStore(deps)
  // two extra messages cover a finished item or two still in the partition without another page
  let page = await readGroup(store, pk, want + 2)
  const now = deps.clock.now()
  if (!page.group) return null
  if (headInFlightUntil(page.group, now) !== undefined) return 'busy' as const
  const plan = new ReceivePlan(page.group, { now, want, maxReceiveCount })
  let wantsMore = plan.add(page.messages)
  for (let pages = 1; wantsMore && page.next && pages < pagesPerGroup; pages++) {
    page = await readGroup(store, pk, want + 2, page.next)
    wantsMore = plan.add(page.messages)
  }
  if (wantsMore && !page.next) plan.end()
  return plan
}
