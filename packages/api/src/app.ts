/** @module app — the Hono app: dialect, request id, body limit, auth, dispatch, errors in the caller's dialect. */
import { Engine, newRequestId, type Clock } from '@dqs/core'
import { Hono } from 'hono'
import { authenticate, type AuthConfig } from './auth/authenticate.js'
import type { ActionContext } from './context.js'
import { dispatch } from './dispatch.js'
import { detectDialect, type Dialect } from './protocol/detect.js'
import { errorResponse } from './protocol/errors.js'
import { jsonResponse, readJsonRequest } from './protocol/json.js'
import { readQueryRequest } from './protocol/query-request.js'
import { xmlResponse } from './protocol/xml.js'
import { InvalidParameterValue } from '@dqs/core'

export interface AppDeps {
  engine: Engine
  clock: Clock
  region: string
  auth: AuthConfig
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

/** The body's exact bytes: SigV4 signs them, so they are hashed as received, never re-encoded from text. */
async function readBody(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > maxRequestBytes) throw new InvalidParameterValue(`Request body must be at most ${maxRequestBytes} bytes.`)
  const bytes = new Uint8Array(await request.arrayBuffer())
  if (bytes.byteLength > maxRequestBytes) throw new InvalidParameterValue(`Request body must be at most ${maxRequestBytes} bytes.`)
  return bytes
}

export function createApp(deps: AppDeps) {
  const app = new Hono()
  app.all('*', async (c) => {
    const request = c.req.raw
    const requestId = newRequestId()
    const dialect: Dialect = detectDialect(request.headers)
    try {
      const bytes = await readBody(request)
      const url = new URL(request.url)
      const baseUrl = baseUrlOf(request)
      if (dialect === 'query' && request.method === 'GET' && !url.searchParams.has('Action')) {
        return new Response('<UnknownOperationException/>', { status: 404, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId } })
      }
      // who is asking comes before what is asked: an unauthenticated caller learns nothing from validation errors
      const accountId = await authenticate(deps.auth, { request, body: bytes, now: deps.clock.now() })
      const body = new TextDecoder().decode(bytes)
      const wire = dialect === 'json' ? readJsonRequest(request.headers, body) : readQueryRequest(url, body, baseUrl)
      const ctx: ActionContext = { accountId, region: deps.region, baseUrl, requestId, engine: deps.engine, signal: request.signal }
      const output = await dispatch(wire.action, wire.input, ctx)
      return dialect === 'json'
        ? jsonResponse(output, requestId)
        : new Response(xmlResponse(wire.action, output, requestId), { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId } })
    } catch (error) {
      return errorResponse(dialect, error, requestId)
    }
  })
  return app
}
