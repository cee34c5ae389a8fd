/** @module queue-url — queue URLs `<base>/<accountId>/<queueName>` and what a QueueUrl parameter names. */
import { parseQueueUrl, queueNamePattern } from '@dqs/core'

export const queueUrl = (baseUrl: string, accountId: string, name: string) => `${baseUrl}/${accountId}/${name}`

const bareName = new RegExp(`^${queueNamePattern}$`)

/**
 * The queue a `QueueUrl` parameter names, or null. SQS also takes a bare queue name there (`my-queue`): the caller's
 * own queue of that name (docs/reference/sqs.md §b.2).
 */
export function queueOfParameter(value: string, callerAccountId: string): { accountId: string; name: string } | null {
  return bareName.test(value) ? { accountId: callerAccountId, name: value } : parseQueueUrl(value)
}
