/**
 * @module storage/direct-requests — the document client's data operations sent straight to DynamoDB's JSON
 * protocol. Per request the SDK resolves its endpoint, runs a dozen middleware and walks every attribute value
 * through its schema serde twice: that was over half of the server's CPU per message, 0.7 ms of a 0.85 ms Query.
 * Here a command's document input is marshalled once (util-dynamodb, as lib-dynamodb does), signed by the client's
 * own signer, sent by its own request handler, and retried by its own retry strategy; the answer is unmarshalled
 * at the positions lib-dynamodb's command names. The middleware of the `initialize` step (the request meter, the
 * storage-failure mark, a test's meter) still see every call, its input and its output as before.
 */
import {
  ConditionalCheckFailedException, DynamoDBServiceException, InternalServerError, ItemCollectionSizeLimitExceededException,
  ProvisionedThroughputExceededException, RequestLimitExceeded, ResourceNotFoundException, ThrottlingException,
  TransactionCanceledException, TransactionConflictException, TransactionInProgressException,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClientCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { convertToAttr, convertToNative, type marshallOptions } from '@aws-sdk/util-dynamodb'
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry'
import { HttpRequest, type HttpResponse } from '@smithy/protocol-http'
import type { RequestSigner, RetryErrorType, RetryStrategyV2 } from '@smithy/types'
import { binariesFromBase64, binariesInImage, binariesToBase64 } from './attribute-json.js'

/** The operations sent directly: every data operation of the document client. */
const dataOperations = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem',
  'TransactGetItems', 'TransactWriteItems', 'BatchExecuteStatement', 'ExecuteStatement', 'ExecuteTransaction',
])

/** Errors answered with fields of their own, or that callers tell apart by class. */
const modeledErrors: Record<string, new (options: any) => DynamoDBServiceException> = {
  ConditionalCheckFailedException, InternalServerError, ItemCollectionSizeLimitExceededException, ProvisionedThroughputExceededException,
  RequestLimitExceeded, ResourceNotFoundException, ThrottlingException, TransactionCanceledException, TransactionConflictException,
  TransactionInProgressException,
}

/** A write that may or may not have been applied: its answer was lost or said nothing certain (a 5xx, a reset). */
export class AmbiguousWriteError extends Error {
  override readonly name = 'AmbiguousWriteError'
  constructor(readonly original: unknown) {
    super(`DynamoDB may or may not have applied the write: ${(original as Error)?.message ?? String(original)}`)
  }
}

const unreplayable = new WeakSet<object>()

/**
 * Keeps the client from replaying this write when its outcome is unknown. A retry of a request whose answer was
 * lost would replay it, and a put replayed after a consumer received or deleted the message puts it back as new: a
 * deleted message would be delivered again. A refusal (4xx: throttling, validation) wrote nothing and is still
 * retried; any other failure ends the call as an AmbiguousWriteError, so the caller's client retries the whole send
 * instead. (The error keeps the original out of `cause`, which retry classification would follow.)
 */
export function withoutReplay<C extends DynamoDBDocumentClientCommand<any, any, any, any, any>>(command: C): C {
  unreplayable.add(command)
  return command
}

type Attempts = (operation: string, error: unknown) => void
const attemptWatchers = new WeakMap<object, Attempts>()

/** `watch` is told of every failed attempt of a data operation of `db`, retried or not (one watcher per client). */
export function watchFailedAttempts(db: DynamoDBDocumentClient, watch: Attempts) {
  attemptWatchers.set(db, watch)
}

/** Sends `db`'s document commands for data operations directly (the rest still go through the SDK). */
export function sendDataOperationsDirectly(db: DynamoDBDocumentClient, options: marshallOptions) {
  const direct = new DirectRequests(db, options)
  const send = db.send.bind(db) as (command: unknown, ...rest: unknown[]) => Promise<unknown>
  db.send = ((command: unknown, ...rest: unknown[]) => {
    if (command instanceof DynamoDBDocumentClientCommand) {
      // innermost of `initialize`: the middleware of that step (meters, marks) wraps the direct request
      command.middlewareStack.add(
        ((next: (args: unknown) => unknown, context: { commandName?: string }) => (args: { input: Record<string, unknown> }) => {
          const operation = String(context.commandName).replace(/Command$/, '')
          if (!dataOperations.has(operation)) return next(args)
          return direct.send(operation, args.input, command as unknown as DocumentCommand)
        }) as never,
        { step: 'initialize', priority: 'low', name: 'dqsDirectRequest', override: true },
      )
    }
    return send(command, ...rest)
  }) as DynamoDBDocumentClient['send']
}

/** Where lib-dynamodb's commands keep attribute values: its own description (protected there, read here). */
type KeyNodes = null | KeyNodes[] | { [key: string]: KeyNodes }
interface DocumentCommand { inputKeyNodes: KeyNodes; outputKeyNodes: KeyNodes }

/** The values at `nodes`' positions in `value` mapped by `each`, everything else copied as it is (lib-dynamodb's walk). */
function mapAttributeValues(value: any, nodes: KeyNodes, each: (value: any) => unknown): any {
  if (value === undefined) return undefined
  if (nodes === null) return each(value)
  const names = Object.keys(nodes)
  const every = names.length === 0 ? null : names.length === 1 && names[0] === '*' ? (nodes as Record<string, KeyNodes>)['*']! : undefined
  if (every !== undefined) {
    if (Array.isArray(value)) return value.map((member) => mapAttributeValues(member, every, each))
    const mapped: Record<string, unknown> = {}
    for (const [key, member] of Object.entries(value)) mapped[key] = mapAttributeValues(member, every, each)
    return mapped
  }
  const copy = Array.isArray(value) ? [...value] : { ...value }
  for (const [key, child] of Object.entries(nodes as Record<string, KeyNodes>)) {
    const mapped = mapAttributeValues(value[key], child, each)
    if (mapped !== undefined) copy[key] = mapped
  }
  return copy
}

class DirectRequests {
  private readonly ready: Promise<{ url: URL; signer: RequestSigner; retries: RetryStrategyV2 }>

  constructor(private readonly db: DynamoDBDocumentClient, private readonly options: marshallOptions) {
    this.ready = this.resolve()
  }

  /** What the SDK would resolve for every request, resolved once: endpoint, signer, retry strategy. */
  private async resolve() {
    const config = this.db.config as any
    let url: URL
    if (config.isCustomEndpoint) {
      const { protocol, hostname, port, path } = await config.endpoint()
      url = new URL(`${protocol}//${hostname}${port ? `:${port}` : ''}${path ?? '/'}`)
    } else {
      const [Region, UseFIPS, UseDualStack] = await Promise.all([config.region(), config.useFipsEndpoint(), config.useDualstackEndpoint()])
      url = config.endpointProvider({ Region, UseFIPS, UseDualStack }).url
    }
    const signer: RequestSigner = await config.signer({ name: 'sigv4', properties: {} })
    return { url, signer, retries: await config.retryStrategy() as RetryStrategyV2 }
  }

  async send(operation: string, input: Record<string, unknown>, command: DocumentCommand) {
    const { retries } = await this.ready
    const wire = mapAttributeValues(input, command.inputKeyNodes, (value) => binariesToBase64(convertToAttr(value, this.options)))
    const body = JSON.stringify(wire)
    const replayable = !unreplayable.has(command)
    let token = await retries.acquireInitialRetryToken('')
    let attempts = 0
    let totalRetryDelay = 0
    for (;;) {
      try {
        const { answer, response } = await this.attempt(operation, body)
        retries.recordSuccess(token)
        const output = mapAttributeValues(answer, command.outputKeyNodes, (value) => convertToNative(binariesFromBase64(value)))
        output.$metadata = { httpStatusCode: 200, requestId: response.headers['x-amzn-requestid'], attempts: attempts + 1, totalRetryDelay }
        return { output, response }
      } catch (error) {
        attemptWatchers.get(this.db)?.(operation, error)
        const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
        if (!replayable && !(status !== undefined && status >= 400 && status < 500)) throw new AmbiguousWriteError(error)
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

  private async attempt(operation: string, body: string) {
    const { url, signer } = await this.ready
    const request = new HttpRequest({
      protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, method: 'POST',
      headers: {
        host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}`,
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
    })
    const signed = await signer.sign(request)
    const { response } = await (this.db.config.requestHandler as { handle(request: HttpRequest): Promise<{ response: HttpResponse }> }).handle(signed as HttpRequest)
    const text = await textOf(response.body)
    if (response.statusCode !== 200) throw errorOf(response, text)
    return { answer: JSON.parse(text), response }
  }
}

async function textOf(body: unknown) {
  const chunks: Buffer[] = []
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

/** DynamoDB's error answer as the SDK would have thrown it: the modeled class where there is one, its fields decoded. */
function errorOf(response: HttpResponse, text: string) {
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
  const $metadata = { httpStatusCode: response.statusCode, requestId: response.headers['x-amzn-requestid'] }
  const Modeled = modeledErrors[name]
  const options = { $metadata, message: message ?? Message ?? name, ...rest }
  const error = Modeled
    ? new Modeled(options)
    : new DynamoDBServiceException({ ...options, name, $fault: response.statusCode >= 500 ? 'server' : 'client' })
  return Object.assign(error, rest)
}

/** As the SDK's retry middleware classifies a failure. */
function retryErrorType(error: unknown): RetryErrorType {
  const e = error as Parameters<typeof isThrottlingError>[0]
  if (isThrottlingError(e)) return 'THROTTLING'
  if (isTransientError(e)) return 'TRANSIENT'
  if (isServerError(e)) return 'SERVER_ERROR'
  return 'CLIENT_ERROR'
}
