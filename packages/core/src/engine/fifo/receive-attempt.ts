/** @module engine/fifo/receive-attempt — ReceiveRequestAttemptId: a retried receive gets the same messages and receipt handles. */
import { checkFifoId } from '../../model/message-validation.js'
import type { Queue } from '../../model/queue.js'
import { decodeReceiptHandle } from '../../model/receipt-handle.js'
import { getReceiveAttempt, putReceiveAttempt } from '../../storage/fifo-send-store.js'
import { readGroup } from '../../storage/fifo-store.js'
import { fifoReceiveAttemptKey, fifoSequenceOf } from '../../storage/keys.js'
import { limits } from '../../limits.js'
import type { EngineDeps } from '../deps.js'
import type { ReceivedMessage } from '../standard/receive.js'
import { fifoStore } from './store.js'

/**
 * Wraps a FIFO receive. Within 5 minutes, a receive with the same ReceiveRequestAttemptId (an SDK or network
 * retry whose answer was lost) returns the messages of the recorded receive that are still in flight under it,
 * with the same receipt handles; those deleted or whose visibility ended are left out. When none is left, it
 * receives afresh and records that instead.
 */
export async function receiveWithAttemptId(
  deps: EngineDeps,
  queue: Queue,
  attemptId: string,
  receive: () => Promise<ReceivedMessage[]>,
): Promise<ReceivedMessage[]> {
  checkFifoId('ReceiveRequestAttemptId', attemptId)
  const key = fifoReceiveAttemptKey(queue.id, queue.gen, attemptId)
  const record = await getReceiveAttempt(fifoStore(deps), key, deps.clock.now())
  if (record) {
    const replayed = await stillInFlight(deps, record.messages)
    if (replayed.length) return replayed
  }
  const received = await receive()
  if (received.length) {
    await putReceiveAttempt(fifoStore(deps), key, {
      expiresAt: deps.clock.now() + limits.receiveAttemptWindowMs,
      messages: received.map((m) => ({ pk: m.pk, sk: m.sk, handle: m.receiptHandle })),
    })
  }
  return received
}

/** The recorded messages still in flight under the recorded receive (not received since, not visible again). */
async function stillInFlight(deps: EngineDeps, recorded: Array<{ pk: string; sk: string; handle: string }>) {
  const byGroup = new Map<string, typeof recorded>()
  for (const entry of recorded) byGroup.set(entry.pk, [...(byGroup.get(entry.pk) ?? []), entry])
  const now = deps.clock.now()
  const found = await Promise.all([...byGroup].map(async ([pk, entries]) => {
    const wanted = new Map(entries.map((e) => [e.sk, e]))
    // a batch is the head of its group, so it sits among the first messages (finished items may precede it)
    const page = await readGroup(fifoStore(deps), pk, entries.length + 2)
    const group = page.group
    if (!group) return []
    return page.messages.flatMap((message): ReceivedMessage[] => {
      const entry = wanted.get(message.sk)
      const seq = fifoSequenceOf(message.sk)!
      if (!entry) return []
      const { t: token } = decodeReceiptHandle(entry.handle, deps.config.receiptKey)
      const history = group.received[seq]
      if (!history || history.token !== token || history.visibleAt <= now) return []
      return [{
        ...message, visibleAt: history.visibleAt, token, receiveCount: history.receiveCount, firstReceiveAt: history.firstReceivedAt,
        receiptHandle: entry.handle,
      }]
    })
  }))
  // the recorded order: oldest group first, each group's messages in sequence
  const order = new Map(recorded.map((e, i) => [e.handle, i]))
  return found.flat().sort((a, b) => order.get(a.receiptHandle)! - order.get(b.receiptHandle)!)
}
