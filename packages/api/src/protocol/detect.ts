/** @module protocol/detect — which SQS dialect a request speaks (docs/reference/sqs.md §d.1). */

export type Dialect = 'json' | 'query'

/** JSON 1.0 if the target names AmazonSQS or the content type is x-amz-json-1.0; everything else is Query. */
export function detectDialect(headers: Headers): Dialect {
  const target = headers.get('x-amz-target') ?? ''
  const contentType = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  return target.startsWith('AmazonSQS.') || contentType === 'application/x-amz-json-1.0' ? 'json' : 'query'
}
