/** @module test/reliability/support/raw-http — SQS requests as bytes (no SDK in between), and the check that an answer is SQS-shaped. */
import { XMLParser } from 'fast-xml-parser'
import { Agent, request } from 'node:http'

export interface RawRequest {
  method: string
  path: string
  headers: Record<string, string>
  /** sent in one piece, or chunk by chunk with a pause before each (a slow client) */
  body: Buffer | { chunks: Buffer[]; pauseMs: number }
}

export interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  ms: number
}

const agent = new Agent({ keepAlive: true, maxSockets: 32 })

export function send(endpoint: string, raw: RawRequest, timeoutMs = 60_000): Promise<RawAnswer> {
  const url = new URL(raw.path, endpoint)
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = request(url, { method: raw.method, headers: raw.headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)))
    req.on('error', reject)
    if (Buffer.isBuffer(raw.body)) return void req.end(raw.body)
    const { chunks, pauseMs } = raw.body
    void (async () => {
      for (const chunk of chunks) {
        await new Promise((r) => setTimeout(r, pauseMs))
        req.write(chunk)
      }
      req.end()
    })()
  })
}

/** A JSON 1.0 request as the SDK would send it. */
export const jsonRequest = (action: string, input: unknown): RawRequest => ({
  method: 'POST', path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
  body: Buffer.from(JSON.stringify(input)),
})

/** A Query request as a form POST. */
export const queryRequest = (params: Record<string, string>): RawRequest => ({
  method: 'POST', path: '/',
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body: Buffer.from(new URLSearchParams({ Version: '2012-11-05', ...params }).toString()),
})

/** Which dialect the server will answer in: docs/reference/sqs.md §d.1's rule. */
export function dialectOf(headers: Record<string, string>): 'json' | 'query' {
  const get = (name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? ''
  const contentType = get('content-type').split(';')[0]!.trim().toLowerCase()
  return get('x-amz-target').startsWith('AmazonSQS.') || contentType === 'application/x-amz-json-1.0' ? 'json' : 'query'
}

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false })
const stackTrace = /\n\s+at .+\(.*:\d+:\d+\)|node_modules\//

export function parseXml(text: string): Record<string, unknown> {
  return xml.parse(text, true) as Record<string, unknown>
}

/** Why an answer is not a well-formed SQS success or error in its dialect, or null when it is. */
export function problemWith(dialect: 'json' | 'query', answer: RawAnswer, method = 'POST'): string | null {
  const { status, headers, text } = answer
  if (stackTrace.test(text)) return `stack trace in the body (${status})`
  if (status >= 500 && status !== 503) return `HTTP ${status}`
  if (status === 503 && !headers['retry-after']) return '503 without Retry-After'
  if (![200, 400, 403, 404, 413, 503].includes(status)) return `unexpected HTTP ${status}`
  if (dialect === 'json') {
    let body: unknown
    try {
      body = text === '' ? {} : JSON.parse(text)
    } catch {
      return `JSON dialect answered ${status} with a body that is not JSON`
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return 'JSON body is not an object'
    if (status === 200) return null
    const { __type: type, message } = body as { __type?: unknown; message?: unknown }
    if (typeof type !== 'string' || !/^[\w.]+#\w+$/.test(type)) return `error without a __type (${status})`
    if (typeof message !== 'string') return `error ${type} without a message`
    if (!/^[\w.]+;(Sender|Receiver)$/.test(String(headers['x-amzn-query-error'] ?? ''))) return `error ${type} without x-amzn-query-error`
    return null
  }
  // GET with no Action on the Query dialect: SQS itself answers a bare 404 (docs/reference/sqs.md §b.2)
  if (status === 404 && method === 'GET' && text === '<UnknownOperationException/>') return null
  let doc: Record<string, unknown>
  try {
    doc = parseXml(text)
  } catch (error) {
    return `Query dialect answered ${status} with a body that is not XML: ${(error as Error).message}`
  }
  const root = Object.keys(doc).find((k) => k !== '?xml')
  if (status === 200) return root?.endsWith('Response') ? null : `200 whose XML root is ${root}`
  const error = (doc.ErrorResponse as { Error?: { Code?: unknown; Type?: unknown }; RequestId?: unknown } | undefined)
  if (!error?.Error || typeof error.Error.Code !== 'string' || !error.Error.Code) return `error (${status}) without ErrorResponse/Error/Code`
  if (error.Error.Type !== 'Sender' && error.Error.Type !== 'Receiver') return `error ${error.Error.Code} without a Sender/Receiver Type`
  if (!error.RequestId) return `error ${error.Error.Code} without a RequestId`
  return null
}
