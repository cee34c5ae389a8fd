/** @module engine/fifo/send — SendMessage(Batch) on a FIFO queue: one transaction per message group, in order. */
import { entryErrorOrThrow, ServiceUnavailable, SqsError } from '../../errors.js'
import { newRequestId } from '../../ids.js'
import { limits } from '../../limits.js'
import { queueSettings, type Queue } from '../../model/queue.js'
import { sqsErrorOf } from '../../storage/dynamo-errors.js'
import { getDedupRecord, sendFifoMessages, type FifoSend } from '../../storage/fifo-send-store.js'
import { getGroup } from '../../storage/fifo-store.js'
import { fifoGroupPartition, fifoMessageSortKey, fifoReadyPartition } from '../../storage/keys.js'
import { encodeMessage } from '../../storage/message-item.js'
import type { EngineDeps } from '../deps.js'
import { checkFifoBatch, prepareMessage, sendOutcome, type PreparedMessage, type SendEntry, type SendOutcome } from '../message-input.js'
import type { SendResult } from '../standard/send.js'
import { dedupRecordKeys, type DedupRecordKeys } from './dedup.js'
import { sequenceNumbers } from './sequence.js'
import { fifoStore } from './store.js'

/**
 * Tries per group when other senders into the same group keep moving its tail. Each try re-reads the group first;
 * order within a group is only defined for one producer, as in SQS.
 */
const sendAttempts = 20

type Entry = { index: number; message: PreparedMessage }

/**
 * Entries are validated alone (an invalid one fails by itself), once a batch has every group id and dedup id it
 * needs (else the whole request fails). Each group's valid entries are sent together, in request order, by one
 * transaction; different groups in parallel. A storage failure fails the group's entries together, so a retry
 * cannot put later ones ahead of earlier ones.
 */
export async function sendFifo(
  deps: EngineDeps,
  queue: Queue,
  entries: SendEntry[],
  senderId: string,
  inBatch: boolean,
): Promise<SendResult[]> {
  if (inBatch) checkFifoBatch(queue, entries)
  const now = deps.clock.now()
  const results: SendResult[] = []
  const groups = new Map<string, Entry[]>()
  for (const [index, entry] of entries.entries()) {
    try {
      const message = prepareMessage(queue, entry, senderId, now)
      groups.set(message.messageGroupId!, [...(groups.get(message.messageGroupId!) ?? []), { index, message }])
    } catch (error) {
      results[index] = { ok: false, error: entryErrorOrThrow(error) }
    }
  }
  await Promise.all([...groups.values()].map(async (list) => {
    try {
      const outcomes = await sendGroup(deps, queue, list)
      for (const { index } of list) results[index] = { ok: true, value: outcomes.get(index)! }
    } catch (error) {
      const failure = sqsErrorOf(error)
      if (!failure) throw error
      for (const { index } of list) results[index] = { ok: false, error: failure }
    }
  }))
  return results
}

/**
 * What appending `messages` (one group's, in order, with their dedup records) to the group whose tail was read as
 * `group` writes: their sequence numbers follow that tail, and the group update conditions on it. The engine's send
 * and a transactional outbox both write exactly this.
 */
export function planFifoSend(
  queue: Queue,
  messages: Array<{ message: PreparedMessage; keys: DedupRecordKeys }>,
  group: { lastSequence?: string; ttl: number } | null,
  now: number,
): { send: Omit<FifoSend, 'token'>; sequences: string[]; visibleAt: number } {
  const settings = queueSettings(queue)
  const groupId = messages[0]!.message.messageGroupId!
  const pk = fifoGroupPartition(queue.id, queue.gen, groupId)
  const sequences = sequenceNumbers(now, group?.lastSequence, messages.length)
  const visibleAt = now + settings.delaySeconds * 1000
  const encoded = messages.map(({ message }, i) => encodeMessage({ ...message, sequenceNumber: sequences[i] }, {
    pk,
    sk: fifoMessageSortKey(sequences[i]!),
    visibleAt,
    token: '',
    receiveCount: 0,
    firstReceiveAt: 0,
    expiresAt: message.sentAt + settings.messageRetentionPeriod * 1000,
  }))
  const send = {
    now,
    dedups: messages.map(({ keys, message }, i) => ({
      key: keys.claim, check: keys.check, expiresAt: message.sentAt + limits.dedupWindowMs, messageId: message.messageId, sequenceNumber: sequences[i]!,
    })),
    group: {
      pk, seenTail: group?.lastSequence, tail: sequences.at(-1)!, rq: fifoReadyPartition(queue.id, queue.gen, groupId, queue.shards), visibleAt,
      // the group item must outlive every message it orders, including older ones with a longer retention
      ttl: Math.max(group?.ttl ?? 0, ...encoded.map((e) => e.item.ttl)),
      count: messages.length,
    },
    messages: encoded,
  }
  return { send, sequences, visibleAt }
}

/**
 * A group's entries in one transaction (dedup records, group tail, messages). A live dedup record means a
 * duplicate: accepted, not stored again, answered with the first copy's MessageId and SequenceNumber (and this
 * request's MD5s, which the SDK checks against what it sent); the other entries are sent without it. An id
 * repeated within the request is a duplicate of its first entry.
 */
async function sendGroup(deps: EngineDeps, queue: Queue, list: Entry[]): Promise<Map<number, SendOutcome>> {
  const store = fifoStore(deps)
  const groupId = list[0]!.message.messageGroupId!
  const pk = fifoGroupPartition(queue.id, queue.gen, groupId)
  const outcomes = new Map<number, SendOutcome>()
  const firstOfKey = new Map<string, number>()
  const repeats: Array<{ entry: Entry; of: number }> = []
  let pending: Array<Entry & { keys: DedupRecordKeys }> = []
  for (const entry of list) {
    const keys = dedupRecordKeys(queue, groupId, entry.message.messageDeduplicationId!, deps.clock.now())
    const first = firstOfKey.get(keys.claim.pk)
    if (first === undefined) {
      firstOfKey.set(keys.claim.pk, entry.index)
      pending.push({ ...entry, keys })
    } else repeats.push({ entry, of: first })
  }
  let group: { lastSequence?: string; ttl: number } | null | undefined
  for (let attempt = 0; pending.length && attempt < sendAttempts; attempt++) {
    if (group === undefined) group = await getGroup(store, pk)
    const now = deps.clock.now()
    const { send, sequences, visibleAt } = planFifoSend(queue, pending, group, now)
    const outcome = await sendFifoMessages(store, { ...send, token: newRequestId() })
    if (outcome.sent) {
      pending.forEach(({ index, message }, i) => outcomes.set(index, sendOutcome({ ...message, sequenceNumber: sequences[i] }, visibleAt)))
    }
    for (const i of outcome.sent ? [] : outcome.duplicates) {
      const { index, keys, message } = pending[i]!
      // a record that expired meanwhile is no duplicate any more: the entry is sent on the next try
      const first = (await getDedupRecord(store, keys.claim, now)) ?? (keys.check ? await getDedupRecord(store, keys.check, now) : null)
      if (first) outcomes.set(index, { ...sendOutcome(message), messageId: first.messageId, sequenceNumber: first.sequenceNumber })
    }
    pending = pending.filter(({ index }) => !outcomes.has(index))
    if (!outcome.sent && outcome.contention) group = undefined
  }
  if (pending.length) throw new ServiceUnavailable('Too many concurrent sends into this message group; retry.')
  for (const { entry, of } of repeats) {
    const first = outcomes.get(of)!
    outcomes.set(entry.index, { ...sendOutcome(entry.message), messageId: first.messageId, sequenceNumber: first.sequenceNumber })
  }
  return outcomes
}
