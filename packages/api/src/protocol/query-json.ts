/**
 * @module protocol/query-json — Query answers and errors as JSON objects, for Query callers whose Accept asks for
 * JSON (API Gateway's SQS integrations among them): the XML document's structure, lists as arrays, maps as objects.
 * docs/reference/sqs.md §d.3.
 */
import { actionsWithoutResult, queryMembers, type QueryError } from './query-shapes.js'

/** The name SQS writes a result member under in JSON: for a few members not JSON 1.0's. */
const jsonName = (name: string) => (Object.hasOwn(queryMembers, name) ? queryMembers[name]!.json : undefined) ?? name

function resultMembers(output: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(output).map(([name, value]) => [jsonName(name), value]))
}

/** `{"<Action>Response": {"<Action>Result": {…}, "ResponseMetadata": {"RequestId": …}}}`; no Result where XML has none. */
export function queryJsonResponse(action: string, output: Record<string, unknown>, requestId: string): string {
  const metadata = { ResponseMetadata: { RequestId: requestId } }
  const response = actionsWithoutResult.has(action) ? metadata : { [`${action}Result`]: resultMembers(output), ...metadata }
  return JSON.stringify({ [`${action}Response`]: response })
}

/** `{"Error": {"Code", "Message", "Type"}, "RequestId"}`: the XML `<ErrorResponse>` without its empty `<Detail/>`. */
export function queryJsonError(error: QueryError, requestId: string): string {
  return JSON.stringify({ Error: { Code: error.queryCode, Message: error.message, Type: error.fault }, RequestId: requestId })
}
