/** @module engine/standard/redrive — maxReceiveCount reached: move the message to the dead-letter queue atomically. */
import { newToken } from '../../ids.js'
import { queueArn, queueSettings, type Queue, type RedrivePolicy } from '../../model/queue.js'
import { messageSortKey, shardPartition } from '../../storage/keys.js'
import { encodeStandardMessage } from '../../storage/message-item.js'
import { loadBodies, moveMessage, type Candidate, type MessageStore } from '../../storage/message-store.js'
import type { EngineDeps } from '../deps.js'
import { lookupQueueByArn } from '../queue-cache.js'
import { redriveAllowed } from '../redrive-policy.js'

/**
 * The dead-letter queue a receive may move messages to, or null: a missing DLQ, one of the other type, or
 * one whose RedriveAllowPolicy no longer admits this source means messages stay (and are delivered) here.
 */
export async function deadLetterTarget(deps: EngineDeps, queue: Queue, policy: RedrivePolicy) {
  const target = await lookupQueueByArn(deps, queue.accountId, policy.deadLetterTargetArn)
  if (!target || target.fifo !== queue.fifo || !redriveAllowed(deps, queue, target)) return null
  return { queue: target, maxReceiveCount: policy.maxReceiveCount }
}

/** maxReceiveCount reached: the message goes to the dead-letter queue, carrying DeadLetterQueueSourceArn. */
export async function redriveToDeadLetterQueue(deps: EngineDeps, store: MessageStore, source: Queue, target: Queue, candidate: Candidate) {
  const moved = await relocateMessage(deps, store, target, candidate, queueArn(deps.config.region, source.accountId, source.name))
  if (moved) deps.metrics?.deadLettered(source, target, 1)
  return moved
}

/**
 * One transaction: delete from where it is on the same condition as a claim, put into a random shard of `target`
 * with the same id, body, attributes and send time, receive count reset, and `deadLetterQueueSourceArn` set (a
 * redrive) or cleared (a move task taking it back). Losing the race (someone claimed it first) is fine: the message
 * is then theirs. Cost: 2 × (delete + put).
 */
export async function relocateMessage(
  deps: EngineDeps, store: MessageStore, target: Queue, candidate: Candidate, deadLetterQueueSourceArn: string | undefined,
) {
  const now = deps.clock.now()
  const message = (await loadBodies(store, [candidate.raw]))[0]!
  const shard = Math.floor(Math.random() * target.shards)
  const encoded = encodeStandardMessage(
    { ...message, deadLetterQueueSourceArn },
    {
      pk: shardPartition(target.id, target.gen, shard),
      sk: messageSortKey(now),
      visibleAt: now,
      token: newToken(),
      receiveCount: 0,
      firstReceiveAt: 0,
      // SQS keeps the original enqueue time: expiry counts from the first send
      expiresAt: message.sentAt + queueSettings(target).messageRetentionPeriod * 1000,
    },
  )
  return moveMessage(store, candidate, encoded)
}
