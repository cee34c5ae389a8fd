/** @module cancellation — what a cancelled transaction says about the DQS items in it: a duplicate, or a moved group tail. */
import type { TransactionalSend } from '@dqs/core'

export type OutboxCancellation = 'duplicate' | 'group-changed'

/**
 * Reads a `TransactionCanceledException` for the DQS items that start at position `offset` of the caller's
 * TransactItems. `duplicate`: the FIFO MessageDeduplicationId is live — SQS would have accepted the send without
 * storing it, so the message is already on its way (do not retry, or retry without the message). `group-changed`:
 * another send went into the message group since `sendItems` read it — call `sendItems` again and retry. Null for
 * any other failure (the caller's own condition, a standard queue, another error).
 */
export function outboxCancellation(error: unknown, sent: TransactionalSend, offset: number): OutboxCancellation | null {
  const reasons = (error as { name?: string; CancellationReasons?: Array<{ Code?: string }> })?.CancellationReasons
  if ((error as { name?: string })?.name !== 'TransactionCanceledException' || !reasons) return null
  const failed = (index: number | undefined) => index !== undefined && reasons[offset + index]?.Code === 'ConditionalCheckFailed'
  if (failed(sent.dedupItemIndex)) return 'duplicate'
  if (failed(sent.groupItemIndex)) return 'group-changed'
  return null
}
