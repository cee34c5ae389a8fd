/** @module engine/fifo/redrive — a FIFO message past maxReceiveCount moves to the FIFO dead-letter queue, unblocking its group. */
import type { StoredMessage } from '../../model/message.js'
import { queueArn, queueSettings, type Queue } from '../../model/queue.js'
import type { GroupChange, GroupState } from '../../storage/fifo-group-item.js'
import { moveFifoMessage } from '../../storage/fifo-send-store.js'
import { getGroup } from '../../storage/fifo-store.js'
import { fifoGroupPartition, fifoMessageSortKey, fifoReadyPartition } from '../../storage/keys.js'
import { encodeMessage } from '../../storage/message-item.js'
import type { EngineDeps } from '../deps.js'
import { readyAfter } from './group-state.js'
import { nextSequenceNumber } from './sequence.js'
import { fifoStore } from './store.js'

/** Re-reads of the dead-letter group when senders or other moves race for its tail. */
const targetAttempts = 5

/**
 * One transaction: the source group forgets the message (conditional on the state the receive read), its item is
 * deleted, and it is appended to the same message group of the dead-letter queue with the same id, body,
 * attributes, dedup id and send time, a new sequence number there, and DeadLetterQueueSourceArn.
 * Returns false when the source group changed meanwhile (someone else acted on it; the caller moves on).
 */
export async function moveToDeadLetterQueue(deps: EngineDeps, source: Queue, target: Queue, group: GroupState, message: StoredMessage) {
  const store = fifoStore(deps)
  const seq = message.sequenceNumber!
  const groupId = message.messageGroupId!
  const received = { ...group.received }
  delete received[seq]
  const sourceChange: GroupChange = { received, readyAt: readyAfter({ ...group, received }, deps.clock.now()), countDelta: -1 }
  const targetPk = fifoGroupPartition(target.id, target.gen, groupId)
  for (let attempt = 0; attempt < targetAttempts; attempt++) {
    const now = deps.clock.now()
    const targetGroup = await getGroup(store, targetPk)
    const sequenceNumber = nextSequenceNumber(now, targetGroup?.lastSequence)
    const encoded = encodeMessage(
      { ...message, sequenceNumber, deadLetterQueueSourceArn: queueArn(deps.config.region, source.accountId, source.name) },
      {
        pk: targetPk,
        sk: fifoMessageSortKey(sequenceNumber),
        visibleAt: now,
        token: '',
        receiveCount: 0,
        firstReceiveAt: 0,
        // SQS keeps the original enqueue time: expiry in the DLQ counts from the first send
        expiresAt: message.sentAt + queueSettings(target).messageRetentionPeriod * 1000,
      },
    )
    const outcome = await moveFifoMessage(store, {
      source: group,
      sourceChange,
      sourceKey: { pk: message.pk, sk: message.sk },
      target: {
        pk: targetPk,
        seenTail: targetGroup?.lastSequence,
        tail: sequenceNumber,
        rq: fifoReadyPartition(target.id, target.gen, groupId, target.shards),
        visibleAt: now,
        ttl: Math.max(targetGroup?.ttl ?? 0, encoded.item.ttl),
        count: 1,
      },
      message: encoded,
    })
    if (outcome === 'moved') deps.metrics?.deadLettered(source, target, 1)
    if (outcome !== 'contention') return outcome === 'moved'
  }
  return false
}
