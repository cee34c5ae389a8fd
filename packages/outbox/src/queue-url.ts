/** @module queue-url — the account and queue name a DQS queue URL (`<endpoint>/<accountId>/<queueName>`) names. */

const path = /^\/(\d{12})\/([A-Za-z0-9_.-]{1,80})\/?$/

/** Account and name from a queue URL (any host: only its path names the queue), or null for anything else. */
export function parseQueueUrl(url: string): { accountId: string; name: string } | null {
  let pathname: string
  try {
    pathname = new URL(url).pathname
  } catch {
    return null
  }
  const match = path.exec(pathname)
  return match ? { accountId: match[1]!, name: match[2]! } : null
}
