/**
 * @module storage/receivable-change — what a messages-table stream record says about when something becomes
 * receivable, read from the raw new image (no unmarshalling: a stream tail sees every change of every queue).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { fifoGroupSortKey, isFifoMessageSortKey, parseFifoGroupPartition, parseShardPartition } from './keys.js'
import { isHiddenReady, visibleAtOfHidden } from './ready-index.js'

/**
 * The queue and the time (ms; 0 = now) at which the written item becomes receivable: a standard message by its
 * `ready` index entry, with its shard when that entry is in the fresh region (where a waiting poll then need look
 * alone: engine/long-poll.ts); on a FIFO queue, a new message by its visible time (its group's `ready` says nothing
 * of the queue's delay) and a group item by its `ready` (when it unlocks, or now for a group with messages and no
 * lock). Null for removals and for items that make nothing receivable (chunks, dedup and attempt records).
 */
export function receivableChange(
  record: { eventName?: string; dynamodb?: { NewImage?: Record<string, AttributeValue> } },
): { queueId: string; at: number; shard?: number } | null {
  const image = record.dynamodb?.NewImage
  const pk = image?.pk?.S
  if (record.eventName === 'REMOVE' || !pk) return null
  const ready = image.ready?.N
  const standard = parseShardPartition(pk)
  if (standard) {
    if (ready === undefined) return null
    const value = Number(ready)
    return isHiddenReady(value)
      ? { queueId: standard.queueId, at: visibleAtOfHidden(value) }
      : { queueId: standard.queueId, at: 0, shard: standard.shard }
  }
  const fifo = parseFifoGroupPartition(pk)
  const sk = image.sk?.S ?? ''
  if (!fifo) return null
  if (sk === fifoGroupSortKey && ready !== undefined) return { queueId: fifo.queueId, at: Number(ready) }
  if (record.eventName === 'INSERT' && isFifoMessageSortKey(sk) && image.vis?.N) return { queueId: fifo.queueId, at: Number(image.vis.N) }
  return null
}
