/** @module protocol/query-request — reading a Query request: form POST or GET, to `/` or to a queue URL. */
import { InvalidAction, InvalidQueryParameter, MissingAction, parseQueueUrl } from '@dqs/core'
import { queueUrl } from '../queue-url.js'
import { maxParameters } from './bounds.js'
import type { WireRequest } from './json.js'
import { queryToInput } from './query.js'

/**
 * Actions SQS refuses when posted to a queue URL, as they list or make queues (docs/reference/sqs.md §b.2). Every
 * other action is served there, GetQueueUrl included.
 */
const refusedOnQueue = new Set(['CreateQueue', 'ListQueues'])

/** The non-empty `&`-separated fields of a form, as URLSearchParams would see them, counted without decoding any. */
function countFields(form: string): number {
  let count = 0
  for (let start = 0; start <= form.length;) {
    const amp = form.indexOf('&', start)
    const end = amp < 0 ? form.length : amp
    if (end > start) count++
    start = end + 1
  }
  return count
}

/**
 * The query string's fields, then the body's: a body field replaces a query-string field of the same name (and,
 * repeated in the body, its last value wins), while a field repeated in the query string keeps its first value.
 * One Map keeps this linear: URLSearchParams.set rescans the whole list on every call.
 */
function mergedFields(url: URL, body: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const [name, value] of url.searchParams) if (!fields.has(name)) fields.set(name, value)
  for (const [name, value] of new URLSearchParams(body)) fields.set(name, value)
  return fields
}

export function readQueryRequest(url: URL, body: string, baseUrl: string): WireRequest {
  const count = countFields(url.search.slice(1)) + countFields(body)
  // counted before parsing: beyond what any SQS request carries, parsing and validating is work for nothing
  if (count > maxParameters) throw new InvalidQueryParameter(count, maxParameters)
  const params = mergedFields(url, body)
  const action = params.get('Action')
  if (!action) throw new MissingAction()
  const input = queryToInput(action, params)
  const onQueue = parseQueueUrl(url.pathname)
  if (onQueue) {
    if (refusedOnQueue.has(action)) throw new InvalidAction(action)
    // a QueueUrl in the body overrides the path; an action without a QueueUrl member drops it with any unknown field
    input.QueueUrl ??= queueUrl(baseUrl, onQueue.accountId, onQueue.name)
  }
  return { action, input }
}
