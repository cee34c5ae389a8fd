/** @module engine/fifo/acknowledge — DeleteMessage and ChangeMessageVisibility by receipt handle on FIFO queues. */
import { InvalidParameterValue, ReceiptHandleIsInvalid } from '../../errors.js'
import type { Queue } from '../../model/queue.js'
import { deleteFinishedMessages } from '../../storage/fifo-store.js'
import { fifoSequenceOf } from '../../storage/keys.js'
import type { EngineDeps } from '../deps.js'
import { checkVisibilityCap, receiptFor } from '../standard/acknowledge.js'
import { changeGroup } from './group-writes.js'
import { fifoStore } from './store.js'

/** The handle's group and sequence number; a standard-queue handle of the same queue id cannot parse here. */
function fifoReceipt(deps: EngineDeps, queue: Queue, handle: string) {
  const receipt = receiptFor(deps, queue, handle)
  const seq = fifoSequenceOf(receipt.s)
  if (seq === null) throw new ReceiptHandleIsInvalid(handle)
  return { ...receipt, seq }
}

/**
 * Deletes the message if this handle's receive still holds it; a handle whose visibility ended is expired
 * (docs/reference/sqs.md §b.2); a repeated delete within the handle's visibility is a silent success.
 * `onReceivable`: the group can be received at once (its batch is done and more messages wait).
 */
export async function deleteFifo(deps: EngineDeps, queue: Queue, handle: string, onReceivable: () => void) {
  const receipt = fifoReceipt(deps, queue, handle)
  const value = await changeGroup(deps, receipt.p, (draft, now) => draft.delete(receipt.seq, receipt.t, receipt.v, now), onReceivable)
  if (value === 'expired') {
    throw new InvalidParameterValue(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`)
  }
  if (value === 'deleted') {
    // the group item already records the deletion; a leftover item is removed by the next receive
    await deleteFinishedMessages(fifoStore(deps), [{ pk: receipt.p, sk: receipt.s }]).catch(() => undefined)
  }
}

/**
 * New visibility for one message, counted from now and capped at 12 h from the receive. Per message, as on SQS:
 * its group delivers nothing behind it while it is invisible, and a message made visible at the group's head is
 * receivable again at once.
 * `onReceivable`: the group can be received at once.
 */
export async function changeVisibilityFifo(deps: EngineDeps, queue: Queue, handle: string, visibilityTimeout: number, onReceivable: () => void) {
  const receipt = fifoReceipt(deps, queue, handle)
  checkVisibilityCap(receipt, deps.clock.now(), visibilityTimeout)
  const value = await changeGroup(deps, receipt.p, (draft, now) =>
    draft.changeVisibility(receipt.seq, receipt.t, now + visibilityTimeout * 1000), onReceivable)
  if (value === 'unavailable') {
    throw new InvalidParameterValue(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`)
  }
}
