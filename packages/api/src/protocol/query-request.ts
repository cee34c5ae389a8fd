/** @module protocol/query-request — reading a Query request: form POST or GET, to `/` or to a queue URL. */
import { InvalidAction, MissingAction } from '@dqs/core'
import { parseQueueUrl } from '../queue-url.js'
import type { WireRequest } from './json.js'
import { queryToInput } from './query.js'

/** Actions that do not act on one queue, and so are not valid when posted to a queue URL (docs/reference/sqs.md §b.2). */
const accountActions = new Set(['CreateQueue', 'ListQueues', 'GetQueueUrl'])

export function readQueryRequest(url: URL, body: string, baseUrl: string): WireRequest {
  const params = new URLSearchParams(url.search)
  for (const [name, value] of new URLSearchParams(body)) params.set(name, value)
  const action = params.get('Action')
  if (!action) throw new MissingAction()
  const input = queryToInput(action, params)
  const onQueue = parseQueueUrl(url.pathname)
  if (onQueue) {
    if (accountActions.has(action)) throw new InvalidAction(action)
    // a QueueUrl in the body overrides the path
    input.QueueUrl ??= `${baseUrl}/${onQueue.accountId}/${onQueue.name}`
  }
  return { action, input }
}
