/** @module engine/standard/send — SendMessage(Batch) on a standard queue: one item per message, random shard. */
import { entryErrorOrThrow, ServiceUnavailable, SqsError } from '../../errors.js'
import { newToken } from '../../ids.js'
import { queueSettings, type Queue } from '../../model/queue.js'
import { messageSortKey, shardPartition } from '../../storage/keys.js'
import { encodeStandardMessage } from '../../storage/message-item.js'
import { putMessages } from '../../storage/message-store.js'
import type { EngineDeps } from '../deps.js'
import { prepareMessage, sendOutcome, type SendEntry, type SendOutcome } from '../message-input.js'

export type SendResult = { ok: true; value: SendOutcome } | { ok: false; error: SqsError }

/**
 * Each valid entry becomes a message item in a random shard, visible after its delay (the entry's, else the
 * queue's). Invalid entries fail alone; entries DynamoDB did not take fail with a retryable error.
 */
export async function sendStandard(deps: EngineDeps, queue: Queue, entries: SendEntry[], senderId: string): Promise<SendResult[]> {
  const now = deps.clock.now()
  const settings = queueSettings(queue)
  const results: SendResult[] = []
  const writes: Array<{ index: number; encoded: ReturnType<typeof encodeStandardMessage> }> = []
  for (const [index, entry] of entries.entries()) {
    try {
      const message = prepareMessage(queue, entry, senderId, now)
      const delay = entry.delaySeconds ?? settings.delaySeconds
      const shard = Math.floor(Math.random() * queue.shards)
      const encoded = encodeStandardMessage(message, {
        pk: shardPartition(queue.id, queue.gen, shard),
        sk: messageSortKey(now),
        visibleAt: now + delay * 1000,
        token: newToken(),
        receiveCount: 0,
        firstReceiveAt: 0,
        expiresAt: message.sentAt + settings.messageRetentionPeriod * 1000,
      })
      results.push({ ok: true, value: sendOutcome(message) })
      writes.push({ index, encoded })
    } catch (error) {
      results.push({ ok: false, error: entryErrorOrThrow(error) })
    }
  }
  const failed = await putMessages({ db: deps.db, table: deps.tables.messages }, writes.map((w) => w.encoded))
  for (const [i, write] of writes.entries()) {
    if (failed.has(i)) results[write.index] = { ok: false, error: new ServiceUnavailable() }
  }
  return results
}
