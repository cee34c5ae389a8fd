/** @module protocol/detect — which SQS dialect a request speaks, and so is answered in (docs/reference/sqs.md §d.1). */

/** `query-json`: a Query request whose Accept asks for JSON; SQS answers it in JSON objects (§d.3). */
export type Dialect = 'json' | 'query' | 'query-json'

/** Whether the Accept header lists `application/json` among its media ranges (parameters such as `q` aside). */
function acceptsJson(headers: Headers): boolean {
  const accept = headers.get('accept') ?? ''
  return accept.split(',').some((range) => range.split(';')[0]!.trim().toLowerCase() === 'application/json')
}

/** JSON 1.0 if the target names AmazonSQS or the content type is x-amz-json-1.0; everything else is Query. */
export function detectDialect(headers: Headers): Dialect {
  const target = headers.get('x-amz-target') ?? ''
  const contentType = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (target.startsWith('AmazonSQS.') || contentType === 'application/x-amz-json-1.0') return 'json'
  return acceptsJson(headers) ? 'query-json' : 'query'
}
