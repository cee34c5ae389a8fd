/** @module queue-url — queue URLs `<base>/<accountId>/<queueName>` and back. */

export const queueUrl = (baseUrl: string, accountId: string, name: string) => `${baseUrl}/${accountId}/${name}`

/** Account and name from a queue URL (any host, as SQS clients rewrite hosts freely), or null. */
export function parseQueueUrl(url: string): { accountId: string; name: string } | null {
  let path: string
  try {
    path = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? new URL(url).pathname : url
  } catch {
    return null
  }
  const match = /^\/?(\d{12})\/([A-Za-z0-9_.-]{1,80})\/?$/.exec(path)
  return match ? { accountId: match[1]!, name: match[2]! } : null
}
