/** @module engine/fifo/dedup — which dedup record a FIFO send claims: its id, and the queue's DeduplicationScope. */
import { createHash } from 'node:crypto'
import { queueSettings, type Queue } from '../../model/queue.js'
import { fifoDedupKey } from '../../storage/keys.js'

/** ContentBasedDeduplication: the SHA-256 (hex) of the body only, not of attributes (docs/reference/sqs.md §b). */
export const contentDeduplicationId = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex')

/**
 * The dedup record for a message: one per queue, or per message group with DeduplicationScope=messageGroup.
 * The purge generation is part of the key, so PurgeQueue clears the 5-minute window.
 */
export function dedupRecordKey(queue: Queue, groupId: string, dedupId: string) {
  const perGroup = queueSettings(queue).deduplicationScope === 'messageGroup'
  return fifoDedupKey(queue.id, queue.gen, perGroup ? groupId : null, dedupId)
}
