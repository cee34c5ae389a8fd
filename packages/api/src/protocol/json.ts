/** @module protocol/json — AWS JSON 1.0: `X-Amz-Target: AmazonSQS.<Action>` requests, JSON answers and errors. */
import { InvalidAction, MalformedInput, type SqsError } from '@dqs/core'

const contentType = 'application/x-amz-json-1.0'

export interface WireRequest {
  action: string
  input: Record<string, unknown>
}

export function readJsonRequest(headers: Headers, body: string): WireRequest {
  const target = headers.get('x-amz-target') ?? ''
  const action = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : ''
  if (!action) throw new InvalidAction(target || '(none)')
  let input: unknown
  try {
    input = body.trim() === '' ? {} : JSON.parse(body)
  } catch {
    throw new MalformedInput('Start of structure or map found where not expected.')
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new MalformedInput('Start of structure or map found where not expected.')
  }
  return { action, input: input as Record<string, unknown> }
}

export function jsonResponse(output: Record<string, unknown>, requestId: string): Response {
  return new Response(JSON.stringify(output), {
    status: 200,
    headers: { 'content-type': contentType, 'x-amzn-requestid': requestId },
  })
}

/** `__type` names the shape; `x-amzn-query-error` carries the Query code, which SDKs need (docs/reference/sqs.md headline 5). */
export function jsonError(error: SqsError, requestId: string): Response {
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-amzn-requestid': requestId,
    'x-amzn-query-error': `${error.queryCode};${error.fault}`,
  }
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter)
  return new Response(JSON.stringify({ __type: error.jsonType, message: error.message }), { status: error.status, headers })
}
