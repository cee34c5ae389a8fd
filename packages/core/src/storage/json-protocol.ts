/**
 * @module storage/json-protocol — requests in DynamoDB's JSON protocol (also DynamoDB Streams') made with an SDK
 * client's own parts, resolved once: its endpoint, credentials, request handler and retry strategy. Per request the
 * SDK itself resolves endpoint rules, runs a dozen middleware and walks every value through its schema serde twice:
 * that was most of what a Query of 10 items cost (0.7 of 0.85 ms of CPU). Failures are thrown as the SDK throws them.
 *
 * Requests are signed with `aws4` rather than the client's signer: the same SigV4 (a test checks each signature
 * against the SDK's), in ~20 µs for a 15 KB write where `@smithy/signature-v4` took 50–65 µs (an HMAC of the
 * credentials for its key cache on every call, async hashing, a copy of the request). Signing was ~8 % of a busy
 * server's CPU samples, ~3.5 % since. Requests made with DQS's local credentials go unsigned (storage/local-credentials.ts).
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry'
import { HttpRequest, type HttpResponse } from '@smithy/protocol-http'
import type { AwsCredentialIdentity, RetryErrorType, RetryStrategyV2 } from '@smithy/types'
import aws4 from 'aws4'
import { answerBytes } from './answer-bytes.js'
import { binariesInImage } from './attribute-json.js'
import { isLocalCredentials, unsignedAuthorization } from './local-credentials.js'

/** A write that may or may not have been applied: its answer was lost or said nothing certain (a 5xx, a reset). */
export class AmbiguousWriteError extends Error {
  override readonly name = 'AmbiguousWriteError'
  constructor(readonly original: unknown) {
    super(`DynamoDB may or may not have applied the write: ${(original as Error)?.message ?? String(original)}`)
  }
}

type ExceptionClass = new (options: any) => Error

/** The service's errors: its base exception class, and the modeled ones callers tell apart by class or fields. */
export interface ServiceErrors {
  base: ExceptionClass
  modeled: Record<string, ExceptionClass>
}

export interface RequestOptions {
  /**
   * false for a write whose outcome must not be guessed at: a failure other than a refusal (4xx) ends the request
   * as an AmbiguousWriteError instead of being retried, since a replay could undo what happened meanwhile.
   */
  replayable: boolean
  /** told of every failed attempt, retried or not */
  failedAttempt?: (error: unknown) => void
  /**
   * Reads a successful answer from its bytes (JSON.parse of their text by default). Synchronous: the bytes are lent
   * (storage/answer-bytes.ts) and are another answer's once it returns.
   */
  parseAnswer?: (bytes: Buffer) => any
}

interface ClientParts {
  url: URL
  credentials: () => Promise<AwsCredentialIdentity>
  /** signing scope: DynamoDB Streams signs as `dynamodb` too */
  region: string
  service: string
  retries: RetryStrategyV2
}

export class JsonProtocol {
  /** Resolved at the first request: a client made and never used resolves nothing, and fails nothing. */
  private parts?: Promise<ClientParts>

  /** `client` is the SDK client whose configuration is used; `target` the service's X-Amz-Target prefix. */
  constructor(private readonly client: { config: object }, private readonly target: string, private readonly errors: ServiceErrors) {}

  private async resolve(): Promise<ClientParts> {
    const config = this.client.config as any
    let url: URL
    if (config.isCustomEndpoint) {
      const { protocol, hostname, port, path } = await config.endpoint()
      url = new URL(`${protocol}//${hostname}${port ? `:${port}` : ''}${path ?? '/'}`)
    } else {
      const [Region, UseFIPS, UseDualStack] = await Promise.all([config.region(), config.useFipsEndpoint(), config.useDualstackEndpoint()])
      url = config.endpointProvider({ Region, UseFIPS, UseDualStack }).url
    }
    return {
      url, credentials: config.credentials, region: await config.region(), service: config.defaultSigningName,
      retries: await config.retryStrategy() as RetryStrategyV2,
    }
  }

  /** Sends `body` to `operation`, retried as the SDK retries; answers the parsed JSON and the SDK's `$metadata`. */
  async request(operation: string, body: string, options: RequestOptions) {
    const parts = await (this.parts ??= this.resolve())
    const { retries } = parts
    let token = await retries.acquireInitialRetryToken('')
    let attempts = 0
    let totalRetryDelay = 0
    for (;;) {
      try {
        const { answer, response } = await this.attempt(parts, operation, body, options.parseAnswer)
        retries.recordSuccess(token)
        return { answer, $metadata: { httpStatusCode: 200, requestId: response.headers['x-amzn-requestid'], attempts: attempts + 1, totalRetryDelay } }
      } catch (error) {
        options.failedAttempt?.(error)
        const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
        if (!options.replayable && !(status !== undefined && status >= 400 && status < 500)) throw new AmbiguousWriteError(error)
        try {
          token = await retries.refreshRetryTokenForRetry(token, { error: error as never, errorType: retryErrorType(error) })
        } catch {
          const failed = error as { $metadata?: Record<string, unknown> }
          if (failed && typeof failed === 'object') failed.$metadata = { ...failed.$metadata, attempts: attempts + 1, totalRetryDelay }
          throw error
        }
        attempts = token.getRetryCount()
        const delay = token.getRetryDelay()
        totalRetryDelay += delay
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
  }

  private async attempt({ url, credentials, region, service }: ClientParts, operation: string, body: string, parseAnswer = parseJson) {
    const config = this.client.config as { requestHandler: { handle(request: HttpRequest): Promise<{ response: HttpResponse }> }; systemClockOffset?: number }
    // encoded once: counted, hashed for the signature and written as these bytes (JSON.stringify's text of a large
    // request is a rope, which each use as text would flatten or encode again)
    const payload = Buffer.from(body, 'utf8')
    const headers = {
      host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${this.target}.${operation}`,
      'content-length': String(payload.length),
      // the SDK's correction of this machine's clock, as its own signer applies it
      'x-amz-date': amzDate(Date.now() + (config.systemClockOffset ?? 0)),
    }
    const identity = await credentials()
    const signedHeaders = isLocalCredentials(identity)
      ? { ...headers, authorization: unsignedAuthorization(headers['x-amz-date'], region, service) }
      : aws4.sign({ method: 'POST', path: url.pathname, headers, body: payload, service, region }, identity).headers as Record<string, string>
    const request = new HttpRequest({
      protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, method: 'POST',
      headers: signedHeaders, body: payload,
    })
    const { response } = await config.requestHandler.handle(request)
    const bytes = await answerBytes(response.body as AsyncIterable<Buffer>)
    if (response.statusCode !== 200) throw this.errorOf(response, bytes.toString('utf8'))
    return { answer: parseAnswer(bytes), response }
  }

  /** The error answer as the SDK would have thrown it: the modeled class where there is one, items' binaries as bytes. */
  private errorOf(response: HttpResponse, text: string) {
    let fields: Record<string, any> = {}
    try {
      fields = JSON.parse(text) ?? {}
    } catch {
      // not JSON (a proxy's page): the status says what it was
    }
    const type = String(response.headers['x-amzn-errortype'] ?? fields.__type ?? fields.code ?? `Http${response.statusCode}`)
    const name = type.split(':')[0]!.split('#').at(-1)!
    const { __type, message, Message, ...rest } = fields
    if (rest.Item) rest.Item = binariesInImage(rest.Item)
    for (const reason of rest.CancellationReasons ?? []) if (reason?.Item) reason.Item = binariesInImage(reason.Item)
    const options = { $metadata: { httpStatusCode: response.statusCode, requestId: response.headers['x-amzn-requestid'] }, message: message ?? Message ?? name, ...rest }
    const Modeled = this.errors.modeled[name]
    const error = Modeled
      ? new Modeled(options)
      : new this.errors.base({ ...options, name, $fault: response.statusCode >= 500 ? 'server' : 'client' })
    return Object.assign(error, rest)
  }
}

const parseJson = (bytes: Buffer) => JSON.parse(bytes.toString('utf8'))

/** `20261206T120000Z`: SigV4's X-Amz-Date. */
const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '')

/** As the SDK's retry middleware classifies a failure. */
function retryErrorType(error: unknown): RetryErrorType {
  const e = error as Parameters<typeof isThrottlingError>[0]
  if (isThrottlingError(e)) return 'THROTTLING'
  if (isTransientError(e)) return 'TRANSIENT'
  if (isServerError(e)) return 'SERVER_ERROR'
  return 'CLIENT_ERROR'
}
