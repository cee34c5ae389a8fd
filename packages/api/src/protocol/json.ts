/** @module protocol/json — AWS JSON 1.0: `X-Amz-Target: AmazonSQS.<Action>` requests, JSON answers and errors. */
import { InvalidAction, MalformedInput, type SqsError } from '@dqs/core'
import { maxParameters } from './bounds.js'

const contentType = 'application/x-amz-json-1.0'

export interface WireRequest {
  action: string
  input: Record<string, unknown>
}

/**
 * SQS inputs nest at most five deep (Entries → entry → MessageAttributes → attribute → StringListValues). A body
 * nested thousands deep is no SQS request, yet parsing it takes seconds and anything that walks it recursively
 * overflows the stack.
 */
const maxJsonDepth = 32

/**
 * Why a body's shape is beyond any SQS request — nested too deep, or more values (counted by the commas between
 * them) than `maxParameters` — or undefined. One pass over the text, before JSON.parse and the schema spend time
 * on it; strings (message bodies: most of the text) are passed over by a native search for their closing quote.
 */
function shapeProblem(text: string): string | undefined {
  let depth = 0
  let commas = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) i = closingQuote(text, i)
    else if (c === 0x2c) {
      if (++commas >= maxParameters) return `Request body has more than ${maxParameters} values; an SQS request has far fewer.`
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxJsonDepth) return `Request body nests deeper than ${maxJsonDepth} levels.`
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return undefined
}

/**
 * Where the string opened at `open` ends: the first quote after it not escaped, that is with an even run of
 * backslashes before it (the text's length if none). Each run of backslashes is looked at once: linear.
 */
function closingQuote(text: string, open: number): number {
  for (let quote = text.indexOf('"', open + 1); quote >= 0; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++
    if (backslashes % 2 === 0) return quote
  }
  return text.length
}

export function readJsonRequest(headers: Headers, body: string): WireRequest {
  const target = headers.get('x-amz-target') ?? ''
  const action = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : ''
  if (!action) throw new InvalidAction(target || '(none)')
  const problem = shapeProblem(body)
  if (problem) throw new MalformedInput(problem)
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
