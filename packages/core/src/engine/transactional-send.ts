/**
 * @module engine/transactional-send — one message as the items of a DynamoDB transaction, exactly as SendMessage
 * writes it, for a caller to add to its own TransactWriteItems (a transactional outbox).
 */
import type { Queue } from '../model/queue.js'
import type { Db } from '../storage/dynamo.js'
import { fifoSendItems, messagePuts } from '../storage/fifo-send-store.js'
import { getGroup } from '../storage/fifo-store.js'
import { fifoGroupPartition } from '../storage/keys.js'
import { dedupRecordKeys } from './fifo/dedup.js'
import { planFifoSend } from './fifo/send.js'
import { prepareMessage, sendOutcome, type SendEntry, type SendOutcome } from './message-input.js'
import { encodeStandardSend } from './standard/send.js'

/** An item of a TransactWriteItems request, in the DynamoDB document client's form (`TransactWriteCommand`). */
export type TransactItem = ReturnType<typeof fifoSendItems>[number]

export interface TransactionalSend extends SendOutcome {
  /** The items to add to the caller's transaction; the message exists exactly when that transaction commits. */
  items: TransactItem[]
  /**
   * FIFO: the position in `items` of the deduplication record's Put. A cancellation reason `ConditionalCheckFailed`
   * there means the MessageDeduplicationId is live (a duplicate within the 5-minute window): nothing was written.
   */
  dedupItemIndex?: number
  /**
   * FIFO: the position in `items` of the group's update. `ConditionalCheckFailed` there means another send moved the
   * group's tail after these items were built: build them again and retry the transaction.
   */
  groupItemIndex?: number
}

/**
 * Validates the entry as SendMessage does (the same errors) and builds its items. Standard queue: the message item
 * and its chunks, no read. FIFO queue: reads the group's tail (1 consistent read) to number the message; the items
 * are the dedup record, the group update conditioned on that tail, the message and its chunks.
 */
export async function transactionalSendItems(
  store: { db: Db; table: string },
  queue: Queue,
  entry: SendEntry,
  senderId: string,
  now: number,
): Promise<TransactionalSend> {
  const message = prepareMessage(queue, entry, senderId, now)
  if (!queue.fifo) {
    return { ...sendOutcome(message, message.visibleAt), items: messagePuts(store.table, encodeStandardSend(queue, message)) }
  }
  const groupId = message.messageGroupId!
  const keys = dedupRecordKeys(queue, groupId, message.messageDeduplicationId!, now)
  const group = await getGroup(store, fifoGroupPartition(queue.id, queue.gen, groupId))
  const { send, sequences, visibleAt } = planFifoSend(queue, [{ message, keys }], group, now)
  return {
    ...sendOutcome({ ...message, sequenceNumber: sequences[0] }, visibleAt),
    items: fifoSendItems(store.table, send),
    dedupItemIndex: 0,
    groupItemIndex: keys.check ? 2 : 1,
  }
}
