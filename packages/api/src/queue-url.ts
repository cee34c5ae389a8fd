/** @module queue-url — queue URLs `<base>/<accountId>/<queueName>` and back. */

export const queueUrl = (baseUrl: string, accountId: string, name: string) => `${baseUrl}/${accountId}/${name}`

const queueName = '[A-Za-z0-9_.-]{1,80}'
const bareName = new RegExp(`^${queueName}$`)
const urlPath = new RegExp(`^/?(\\d{12})/(${queueName})/?$`)

/** Account and name from a queue URL or its path (any host, as SQS clients rewrite hosts freely), or null. */
export function parseQueueUrl(url: string): { accountId: string; name: string } | null {
  let path: string
  try {
    path = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? new URL(url).pathname : url
  } catch {
    return null
  }
  const match = urlPath.exec(path)
  return match ? { accountId: match[1]!, name: match[2]! } : null
}

/**
 * The queue a `QueueUrl` parameter names, or null. SQS also takes a bare queue name there (`my-queue`): the caller's
 * own queue of that name (docs/reference/sqs.md §b.2).
 */
export function queueOfParameter(value: string, callerAccountId: string): { accountId: string; name: string } | null {
  return bareName.test(value) ? { accountId: callerAccountId, name: value } : parseQueueUrl(value)
}
