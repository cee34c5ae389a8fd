/** @module engine/fifo/send — SendMessage(Batch) on a FIFO queue: one transaction per message group, in order. */
import { entryErrorOrThrow, ServiceUnavailable, SqsError } from '../../errors.js'
import { newRequestId } from '../../ids.js'
import { limits } from '../../limits.js'
import type { Message } from '../../model/message.js'
import { queueSettings, type Queue } from '../../model/queue.js'
import { sqsErrorOf } from '../../storage/dynamo-errors.js'
import { getDedupRecord, sendFifoMessages } from '../../storage/fifo-send-store.js'
import { getGroup } from '../../storage/fifo-store.js'
import { fifoGroupPartition, fifoMessageSortKey, fifoReadyPartition } from '../../storage/keys.js'
import { encodeMessage } from '../../storage/message-item.js'
import type { EngineDeps } from '../deps.js'
import { checkFifoBatch, prepareMessage, sendOutcome, type SendEntry, type SendOutcome } from '../message-input.js'
import type { SendResult } from '../standard/send.js'
import { dedupRecordKeys, type DedupRecordKeys } from './dedup.js'
import { sequenceNumbers } from './sequence.js'
import { fifoStore } from './store.js'

/**
 * Tries per group when other senders into the same group keep moving its tail. Each try re-reads the group first;
 * order within a group is only defined for one producer, as in SQS.
 */
const sendAttempts = 20

type Entry = { index: number; message: Message }

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
 * A group's entries in one transaction (dedup records, group tail, messages). A live dedup record means a
 * duplicate: accepted, not stored again, answered with the first copy's MessageId and SequenceNumber (and this
 * request's MD5s, which the SDK checks against what it sent); the other entries are sent without it. An id
 * repeated within the request is a duplicate of its first entry.
 */
async function sendGroup(deps: EngineDeps, queue: Queue, list: Entry[]): Promise<Map<number, SendOutcome>> {
  const store = fifoStore(deps)
  const settings = queueSettings(queue)
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
    const sequences = sequenceNumbers(now, group?.lastSequence, pending.length)
    const visibleAt = now + settings.delaySeconds * 1000
    const encoded = pending.map(({ message }, i) => encodeMessage({ ...message, sequenceNumber: sequences[i] }, {
      pk,
      sk: fifoMessageSortKey(sequences[i]!),
      visibleAt,
      token: '',
      receiveCount: 0,
      firstReceiveAt: 0,
      expiresAt: message.sentAt + settings.messageRetentionPeriod * 1000,
    }))
    const outcome = await sendFifoMessages(store, {
      now,
      dedups: pending.map(({ keys, message }, i) => ({
        key: keys.claim, check: keys.check, expiresAt: message.sentAt + limits.dedupWindowMs, messageId: message.messageId, sequenceNumber: sequences[i]!,
      })),
      group: {
        pk, seenTail: group?.lastSequence, tail: sequences.at(-1)!, rq: fifoReadyPartition(queue.id, queue.gen, groupId, queue.shards), visibleAt,
        // the group item must outlive every message it orders, including older ones with a longer retention
        ttl: Math.max(group?.ttl ?? 0, ...encoded.map((e) => e.item.ttl)),
        count: pending.length,
      },
      messages: encoded,
      token: newRequestId(),
    })
    if (outcome.sent) {
      pending.forEach(({ index, message }, i) => outcomes.set(index, sendOutcome({ ...message, sequenceNumber: sequences[i] })))
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
