/** @module engine/standard/acknowledge — DeleteMessage and ChangeMessageVisibility by receipt handle (standard queues). */
import { entryErrorOrThrow, InvalidParameterValue, ReceiptHandleIsInvalid, ServiceUnavailable, SqsError } from '../../errors.js'
import { limits } from '../../limits.js'
import type { Queue } from '../../model/queue.js'
import { decodeReceiptHandle, type ReceiptFields } from '../../model/receipt-handle.js'
import { itemKeyText, parseFifoGroupPartition, parseShardPartition } from '../../storage/keys.js'
import { maxChunkItems } from '../../storage/message-item.js'
import { deleteMessageItems, setVisibility } from '../../storage/message-store.js'
import type { EngineDeps } from '../deps.js'
import { claimHint, hintKey } from './claim-hint.js'
import { shardReadsChanged } from './shard-reads.js'

/**
 * A handle signed by us for this very queue (not a deleted namesake), or ReceiptHandleIsInvalid. Its message key
 * must lie in one of the queue's own partitions: whoever knows the signing key (the local default is public) could
 * otherwise name another account's message next to their own queue's id. The partition's generation may be an
 * earlier one: a handle from before a purge is stale, not foreign.
 */
export function receiptFor(deps: EngineDeps, queue: Queue, handle: string): ReceiptFields {
  const fields = decodeReceiptHandle(handle, deps.config.receiptKey)
  const partition = queue.fifo ? parseFifoGroupPartition(fields.p) : parseShardPartition(fields.p)
  if (fields.q !== queue.id || partition?.queueId !== queue.id) throw new ReceiptHandleIsInvalid(handle)
  // deletes name every chunk item up front, so the count must be one a message can have
  if ((fields.c ?? 0) > maxChunkItems) throw new ReceiptHandleIsInvalid(handle)
  return fields
}

/**
 * Deletes by receipt handles, each succeeding or failing alone (null = deleted). A stale handle still deletes on
 * standard queues, and a second delete is a silent success (docs/reference/sqs.md §b.2). Handles carry their message's chunk
 * count, so a whole batch is one BatchWriteItem with no read first.
 */
export async function deleteStandard(deps: EngineDeps, queue: Queue, handles: string[]): Promise<Array<SqsError | null>> {
  const receipts = handles.map((handle) => {
    try {
      return receiptFor(deps, queue, handle)
    } catch (error) {
      return entryErrorOrThrow(error)
    }
  })
  // a handle without a chunk count predates it: its chunks (if any) are left to TTL and the sweeper
  const keys = receipts.flatMap((r) => (r instanceof SqsError ? [] : [{ pk: r.p, sk: r.s, nc: r.c ?? 0 }]))
  const failed = new Set((await deleteMessageItems({ db: deps.db, table: deps.tables.messages }, keys)).map(itemKeyText))
  return receipts.map((receipt) => {
    if (receipt instanceof SqsError) return receipt
    return failed.has(itemKeyText({ pk: receipt.p, sk: receipt.s })) ? new ServiceUnavailable() : null
  })
}

/**
 * New visibility counted from now, capped at 12 h from the handle's receive. Any handle of a message still stored
 * applies, an older receive's too (as on SQS); a deleted or expired message is InvalidParameterValue.
 */
export async function changeVisibilityStandard(deps: EngineDeps, queue: Queue, handle: string, visibilityTimeout: number) {
  const receipt = receiptFor(deps, queue, handle)
  const now = deps.clock.now()
  checkVisibilityCap(receipt, now, visibilityTimeout)
  const changed = await setVisibility({ db: deps.db, table: deps.tables.messages }, { pk: receipt.p, sk: receipt.s }, now + visibilityTimeout * 1000, now)
  if (!changed) {
    throw new InvalidParameterValue(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`)
  }
  // receives on this instance skip what they just claimed; a message made visible now must not be skipped
  if (visibilityTimeout === 0) {
    claimHint(deps).release(hintKey({ pk: receipt.p, sk: receipt.s }))
    shardReadsChanged(deps, queue.id)
  }
}

export function checkVisibilityCap(receipt: ReceiptFields, now: number, visibilityTimeout: number) {
  if (now + visibilityTimeout * 1000 - receipt.r > limits.maxVisibilityTimeout * 1000) {
    throw new InvalidParameterValue(`Value ${visibilityTimeout} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [${limits.maxVisibilityTimeout} seconds].`)
  }
}
