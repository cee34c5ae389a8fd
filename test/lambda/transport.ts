/** Real SDK requests, signed as usual, delivered as literal Lambda events (function URL or HTTP API, payload 2.0). */
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http'
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda'
import { randomUUID } from 'node:crypto'

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>

export type Front = 'function-url' | 'http-api'

/** What the front door adds after the client signed: these headers are not signed, as in production. */
const frontHeaders = { 'x-forwarded-proto': 'https', 'x-forwarded-port': '443', 'x-forwarded-for': '203.0.113.7' }

export const functionUrlHost = 'abcdefghijklmnopqrstuvwxyz234567.lambda-url.us-east-1.on.aws'
export const httpApiHost = 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com'

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

export function rawQueryString(query: HttpRequest['query']) {
  return Object.entries(query ?? {})
    .flatMap(([name, value]) => [value ?? ''].flat().map((v) => `${rfc3986(name)}=${rfc3986(v ?? '')}`))
    .join('&')
}

function bodyBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0)
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  throw new Error(`unexpected request body ${typeof body}`)
}

/** The event AWS would hand the function for this request: lower-case headers, the body base64-encoded. */
export function toEvent(request: HttpRequest, front: Front, body: Buffer = bodyBytes(request.body)): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { ...frontHeaders, 'x-amzn-trace-id': `Root=1-${randomUUID()}` }
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value
  const domainName = headers.host!
  const now = new Date()
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString: rawQueryString(request.query),
    headers,
    requestContext: {
      accountId: front === 'function-url' ? 'anonymous' : '123456789012',
      apiId: domainName.split('.')[0]!,
      domainName,
      domainPrefix: domainName.split('.')[0]!,
      http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: body.toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false }),
  }
}

export const lambdaContext = {
  functionName: 'dqs-test-Api', awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 30_000,
} as unknown as Context

/**
 * A `requestHandler` for `@aws-sdk/client-sqs`: the signed request becomes an event for `handler`, its result the
 * HTTP response. `tamper` changes the request after signing (drop the signature, alter the body, …).
 */
export interface TransportOptions {
  front?: Front
  tamper?: (request: HttpRequest, body: Buffer) => Buffer | void
}

export function lambdaTransport(handler: LambdaHandler, options: TransportOptions = {}) {
  return {
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    async handle(request: HttpRequest) {
      let body = bodyBytes(request.body)
      body = options.tamper?.(request, body) ?? body
      const result = await handler(toEvent(request, options.front ?? 'function-url', body), lambdaContext)
      const text = result.body ?? ''
      return {
        response: new HttpResponse({
          statusCode: result.statusCode ?? 200,
          headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
          body: Buffer.from(text, result.isBase64Encoded ? 'base64' : 'utf8'),
        }),
      }
    },
  }
}
