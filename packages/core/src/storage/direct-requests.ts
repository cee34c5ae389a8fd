/**
 * @module storage/direct-requests — the document client's data operations sent in DynamoDB's JSON protocol
 * directly (storage/json-protocol.ts says why). A command's document input is marshalled once (util-dynamodb, as
 * lib-dynamodb does) and its answer unmarshalled at the positions lib-dynamodb's command names. The middleware of the
 * `initialize` step (the request meter, the storage-failure mark, a test's meter) still sees every call, its input
 * and its output as before.
 */
import {
  ConditionalCheckFailedException, DynamoDBServiceException, InternalServerError, ItemCollectionSizeLimitExceededException,
  ProvisionedThroughputExceededException, RequestLimitExceeded, ResourceNotFoundException, ThrottlingException,
  TransactionCanceledException, TransactionConflictException, TransactionInProgressException,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClientCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { convertToAttr, convertToNative, type marshallOptions } from '@aws-sdk/util-dynamodb'
import { binariesFromBase64, binariesToBase64 } from './attribute-json.js'
import { JsonProtocol } from './json-protocol.js'

/** The operations sent directly: every data operation of the document client. */
const dataOperations = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem',
  'TransactGetItems', 'TransactWriteItems', 'BatchExecuteStatement', 'ExecuteStatement', 'ExecuteTransaction',
])

/** Errors answered with fields of their own, or that callers tell apart by class. */
const errors = {
  base: DynamoDBServiceException,
  modeled: {
    ConditionalCheckFailedException, InternalServerError, ItemCollectionSizeLimitExceededException, ProvisionedThroughputExceededException,
    RequestLimitExceeded, ResourceNotFoundException, ThrottlingException, TransactionCanceledException, TransactionConflictException,
    TransactionInProgressException,
  },
}

const unreplayable = new WeakSet<object>()

/**
 * Keeps the client from replaying this write when its outcome is unknown. A retry of a request whose answer was
 * lost would replay it, and a put replayed after a consumer received or deleted the message puts it back as new: a
 * deleted message would be delivered again. A refusal (4xx: throttling, validation) wrote nothing and is still
 * retried; any other failure ends the call as an AmbiguousWriteError, so the caller's client retries the whole send
 * instead.
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
  private readonly protocol: JsonProtocol

  constructor(private readonly db: DynamoDBDocumentClient, private readonly options: marshallOptions) {
    this.protocol = new JsonProtocol(db, 'DynamoDB_20120810', errors)
  }

  async send(operation: string, input: Record<string, unknown>, command: DocumentCommand) {
    const wire = mapAttributeValues(input, command.inputKeyNodes, (value) => binariesToBase64(convertToAttr(value, this.options)))
    const watch = attemptWatchers.get(this.db)
    const { answer, $metadata } = await this.protocol.request(operation, JSON.stringify(wire), {
      replayable: !unreplayable.has(command),
      failedAttempt: watch && ((error) => watch(operation, error)),
    })
    const output = mapAttributeValues(answer, command.outputKeyNodes, (value) => convertToNative(binariesFromBase64(value)))
    output.$metadata = $metadata
    return { output }
  }
}
