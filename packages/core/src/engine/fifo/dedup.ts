/** @module engine/fifo/dedup — which dedup records a FIFO send claims and checks: its id, and the queue's DeduplicationScope. */
import { createHash } from 'node:crypto'
import { limits } from '../../limits.js'
import { queueSettings, type Queue } from '../../model/queue.js'
import { fifoDedupKey } from '../../storage/keys.js'

/** ContentBasedDeduplication: the SHA-256 (hex) of the body only, not of attributes (docs/reference/sqs.md §b). */
export const contentDeduplicationId = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex')

export interface DedupRecordKeys {
  /** The record this send writes: one per queue, or per message group with DeduplicationScope=messageGroup. */
  claim: { pk: string; sk: string }
  /**
   * The record the other scope would have written, which must not be live either. Only while the queue's
   * attributes changed within the window: ids recorded before a DeduplicationScope change keep matching as they
   * were recorded for their 5 minutes, as on SQS, and checking costs a write unit per message.
   */
  check?: { pk: string; sk: string }
}

/** The purge generation is part of the keys, so PurgeQueue clears the 5-minute window. */
export function dedupRecordKeys(queue: Queue, groupId: string, dedupId: string, now: number): DedupRecordKeys {
  const perGroup = queueSettings(queue).deduplicationScope === 'messageGroup'
  const claim = fifoDedupKey(queue.id, queue.gen, perGroup ? groupId : null, dedupId)
  const changedLately = queue.modifiedAt > queue.createdAt && now - queue.modifiedAt < limits.dedupWindowMs
  return changedLately ? { claim, check: fifoDedupKey(queue.id, queue.gen, perGroup ? null : groupId, dedupId) } : { claim }
}
