/** @module app — the Hono app: dialect, request id, body limit, auth, dispatch, errors in the caller's dialect. */
import { Engine, InvalidParameterValue, newRequestId, SqsError, type Clock } from '@dqs/core'
import { Hono } from 'hono'
import { authenticate, type AuthConfig } from './auth/authenticate.js'
import type { ActionContext } from './context.js'
import { dispatch } from './dispatch.js'
import { mountOperatorRoutes } from './console/routes.js'
import { noteAction, noteFailure, requestMeter } from './metrics/request-meter.js'
import type { DqsMetrics } from './metrics/registry.js'
import { detectDialect, type Dialect } from './protocol/detect.js'
import { errorResponse } from './protocol/errors.js'
import { jsonResponse, readJsonRequest } from './protocol/json.js'
import { readQueryRequest } from './protocol/query-request.js'
import { queryResponse } from './protocol/query-response.js'

export interface AppDeps {
  engine: Engine
  clock: Clock
  region: string
  auth: AuthConfig
  /** Prometheus metrics (metrics/registry.ts): counted for every request, served on /metrics. */
  metrics?: DqsMetrics
  /** The platform's limit on an answer's size, when it has one (Lambda). */
  maxAnswerBytes?: number
}

/** A 1 MiB batch sent as a percent-encoded form can triple in size; beyond this nothing valid is possible. */
const maxRequestBytes = 4 * 1024 * 1024

/** Scheme and host of the request, honouring proxies and Lambda function URLs. */
function baseUrlOf(request: Request) {
  const url = new URL(request.url)
  const proto = request.headers.get('x-forwarded-proto') ?? url.protocol.replace(':', '')
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? url.host
  return `${proto}://${host}`
}

const utf8 = new TextDecoder()

const tooLarge = () => new InvalidParameterValue(`Request body must be at most ${maxRequestBytes} bytes.`)

/**
 * How much of a refused body is still read (and dropped) before answering. Answering while the client is still
 * sending makes the Node server close the connection under it: the client's next write draws a reset, which often
 * discards the answer before the client reads it, and a keep-alive client that reuses the connection fails its next
 * request. Node reads and drops a body refused by its declared length the same way.
 */
const maxDiscardedBytes = 64 * 1024 * 1024

/**
 * The body's exact bytes: SigV4 signs them, so they are hashed as received, never re-encoded from text. A declared
 * length bounds the body (the HTTP parser reads no further), so it is checked first and the body read in one go.
 * A chunked body declares none: it is counted as it arrives and dropped past the limit, since reading it whole
 * first would let one request hold as much memory as it cares to send.
 */
async function readBody(request: Request): Promise<Uint8Array> {
  try {
    return await readWholeBody(request)
  } catch (error) {
    if (error instanceof SqsError) throw error
    // the connection went while the body arrived (the client left, or the server's request timeout cut it off):
    // the client's doing, not a bug, and nobody is left to read the answer
    throw new InvalidParameterValue('The request body did not arrive in full.')
  }
}

async function readWholeBody(request: Request): Promise<Uint8Array> {
  const declared = request.headers.get('content-length')
  if (declared !== null) {
    if (Number(declared) > maxRequestBytes) throw tooLarge()
    const bytes = new Uint8Array(await request.arrayBuffer())
    // a Lambda event's header is only what the front door wrote: the body it carries is what counts
    if (bytes.byteLength > maxRequestBytes) throw tooLarge()
    return bytes
  }
  if (!request.body) return new Uint8Array(0)
  const reader = request.body.getReader()
  let chunks: Uint8Array[] = []
  let size = 0
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength
    if (size > maxRequestBytes) {
      chunks = []
      await discardRest(reader, size)
      throw tooLarge()
    }
    chunks.push(next.value)
  }
  if (chunks.length === 1) return chunks[0]!
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  return bytes
}

/** Reads and drops the rest of a refused body, up to `maxDiscardedBytes`; a client that goes away only ends it sooner. */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, size: number) {
  try {
    for (let next = await reader.read(); !next.done && size <= maxDiscardedBytes; next = await reader.read()) size += next.value.byteLength
  } catch {
    // nothing left to read; the answer goes to whoever is still there
  }
  void reader.cancel().catch(() => {})
}

export function createApp(deps: AppDeps) {
  const app = new Hono()
  // for load balancers (the deployed service's checks it): answers while the server serves, unsigned, reading nothing
  app.get('/health', (c) => c.text('ok\n'))
  // the operator console and /metrics come before the SQS catch-all (console/routes.ts)
  mountOperatorRoutes(app, deps)
  if (deps.metrics) app.use('*', requestMeter(deps.metrics))
  app.all('*', async (c) => {
    const request = c.req.raw
    const requestId = newRequestId()
    const dialect: Dialect = detectDialect(request.headers)
    try {
      const bytes = await readBody(request)
      const url = new URL(request.url)
      const baseUrl = baseUrlOf(request)
      // SQS answers this in XML even to a caller whose Accept asks for JSON (docs/reference/sqs.md §d.3)
      if (dialect !== 'json' && request.method === 'GET' && !url.searchParams.has('Action')) {
        return new Response('<UnknownOperationException/>', { status: 404, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId } })
      }
      // who is asking comes before what is asked: an unauthenticated caller learns nothing from validation errors
      const accountId = await authenticate(deps.auth, { request, body: bytes, now: deps.clock.now() })
      const body = utf8.decode(bytes)
      const wire = dialect === 'json' ? readJsonRequest(request.headers, body) : readQueryRequest(url, body, baseUrl)
      noteAction(c, wire.action)
      const ctx: ActionContext = {
        accountId, region: deps.region, baseUrl, requestId, engine: deps.engine,
        // on first use: the Node server makes an AbortController for it, and only a long poll listens
        get signal() {
          return request.signal
        },
        traceHeader: request.headers.get('x-amzn-trace-id') ?? undefined, maxAnswerBytes: deps.maxAnswerBytes,
      }
      const output = await dispatch(wire.action, wire.input, ctx)
      return dialect === 'json' ? jsonResponse(output, requestId) : queryResponse(dialect, wire.action, output, requestId)
    } catch (error) {
      noteFailure(c, error)
      return errorResponse(dialect, error, requestId)
    }
  })
  return app
}
