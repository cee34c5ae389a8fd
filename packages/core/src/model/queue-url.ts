/** @module model/queue-url — the account and queue name a queue URL (`<endpoint>/<accountId>/<queueName>`) names. */

/** What SQS allows in a queue name (a FIFO queue's `.fifo` included). */
export const queueNamePattern = '[A-Za-z0-9_.-]{1,80}'
const urlPath = new RegExp(`^/?(\\d{12})/(${queueNamePattern})/?$`)

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
