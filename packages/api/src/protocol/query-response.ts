/**
 * @module protocol/query-response — a Query request's HTTP answer: XML, or JSON when its Accept asks for it
 * (docs/reference/sqs.md §d.3).
 */
import type { Dialect } from './detect.js'
import { queryJsonError, queryJsonResponse } from './query-json.js'
import type { QueryError } from './query-shapes.js'
import { xmlError, xmlResponse } from './xml.js'

type QueryDialect = Exclude<Dialect, 'json'>

const renderings = {
  query: { contentType: 'text/xml', response: xmlResponse, error: xmlError },
  'query-json': { contentType: 'application/json', response: queryJsonResponse, error: queryJsonError },
} as const satisfies Record<QueryDialect, unknown>

const headersFor = (dialect: QueryDialect, requestId: string): Record<string, string> => ({
  'content-type': renderings[dialect].contentType,
  'x-amzn-requestid': requestId,
})

export function queryResponse(
  dialect: QueryDialect,
  action: string,
  output: Record<string, unknown>,
  requestId: string,
): Response {
  const body = renderings[dialect].response(action, output, requestId)
  return new Response(body, { status: 200, headers: headersFor(dialect, requestId) })
}

export function queryErrorResponse(
  dialect: QueryDialect,
  error: QueryError & { status: number; retryAfter?: number },
  requestId: string,
): Response {
  const headers = headersFor(dialect, requestId)
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter)
  return new Response(renderings[dialect].error(error, requestId), { status: error.status, headers })
}
