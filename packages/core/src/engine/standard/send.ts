/** @module engine/standard/send — SendMessage(Batch) on a standard queue: one item per message, random shard. */
import { entryErrorOrThrow, ServiceUnavailable, SqsError } from '../../errors.js'
import { newToken } from '../../ids.js'
import { queueSettings, type Queue } from '../../model/queue.js'
import { messageSortKey, shardPartition } from '../../storage/keys.js'
import { encodeStandardMessage } from '../../storage/message-item.js'
import { putMessages } from '../../storage/message-store.js'
import type { EngineDeps } from '../deps.js'
import { prepareMessage, sendOutcome, type PreparedMessage, type SendEntry, type SendOutcome } from '../message-input.js'

export type SendResult = { ok: true; value: SendOutcome } | { ok: false; error: SqsError }

const randomShard = (queue: Queue) => Math.floor(Math.random() * queue.shards)

/**
 * A prepared message's item in a random shard, visible at its `visibleAt` (a delay puts it in the `ready` index's
 * hidden range, however far ahead). SendMessage and a transactional outbox write exactly this.
 */
export function encodeStandardSend(queue: Queue, message: PreparedMessage, shard = randomShard(queue)) {
  return encodeStandardMessage(message, {
    pk: shardPartition(queue.id, queue.gen, shard),
    sk: messageSortKey(message.sentAt),
    visibleAt: message.visibleAt,
    token: newToken(),
    receiveCount: 0,
    firstReceiveAt: 0,
    expiresAt: message.sentAt + queueSettings(queue).messageRetentionPeriod * 1000,
  })
}

/**
 * Each valid entry becomes a message item in a random shard, visible after its delay (a DQS schedule's, else the
 * entry's DelaySeconds, else the queue's). Invalid entries fail alone; entries DynamoDB did not take fail with a retryable error.
 */
export async function sendStandard(deps: EngineDeps, queue: Queue, entries: SendEntry[], senderId: string): Promise<SendResult[]> {
  const now = deps.clock.now()
  const results: SendResult[] = []
  const writes: Array<{ index: number; encoded: ReturnType<typeof encodeStandardSend> }> = []
  for (const [index, entry] of entries.entries()) {
    try {
      const message = prepareMessage(queue, entry, senderId, now)
      const shard = randomShard(queue)
      const encoded = encodeStandardSend(queue, message, shard)
      results.push({ ok: true, value: { ...sendOutcome(message, message.visibleAt), shard } })
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
