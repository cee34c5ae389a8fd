/**
 * @module storage/direct-requests — the document client's data operations sent in DynamoDB's JSON protocol
 * directly (storage/json-protocol.ts says why). A command's document input is written as JSON, and its answer made
 * native, at the positions lib-dynamodb's command names (storage/document-json.ts). The SDK's middleware
 * stack is not resolved for them either (its per-command copy and sort was ~5 % of a busy server's CPU): what wraps
 * every call (the request meter, the storage-failure mark, a test's meter) is added with `addSendMiddleware`, which
 * puts it around both the direct requests and the SDK's (control-plane commands, which still go through the SDK).
 */
import {
  ConditionalCheckFailedException, DynamoDBServiceException, InternalServerError, ItemCollectionSizeLimitExceededException,
  ProvisionedThroughputExceededException, RequestLimitExceeded, ResourceNotFoundException, ThrottlingException,
  TransactionCanceledException, TransactionConflictException, TransactionInProgressException,
} from '@aws-sdk/client-dynamodb'
import {
  BatchExecuteStatementCommand, BatchGetCommand, BatchWriteCommand, DeleteCommand, ExecuteStatementCommand, ExecuteTransactionCommand,
  GetCommand, PutCommand, QueryCommand, ScanCommand, TransactGetCommand, TransactWriteCommand, UpdateCommand,
  type DynamoDBDocumentClient, type DynamoDBDocumentClientCommand,
} from '@aws-sdk/lib-dynamodb'
import type { marshallOptions } from '@aws-sdk/util-dynamodb'
import { nativeAnswer, requestJson, type KeyNodes } from './document-json.js'
import { JsonProtocol } from './json-protocol.js'

/** The operations sent directly, by document command: every data operation of the document client. */
const dataOperations = new Map<unknown, string>([
  [GetCommand, 'GetItem'], [PutCommand, 'PutItem'], [UpdateCommand, 'UpdateItem'], [DeleteCommand, 'DeleteItem'],
  [QueryCommand, 'Query'], [ScanCommand, 'Scan'], [BatchGetCommand, 'BatchGetItem'], [BatchWriteCommand, 'BatchWriteItem'],
  [TransactGetCommand, 'TransactGetItems'], [TransactWriteCommand, 'TransactWriteItems'],
  [BatchExecuteStatementCommand, 'BatchExecuteStatement'], [ExecuteStatementCommand, 'ExecuteStatement'],
  [ExecuteTransactionCommand, 'ExecuteTransaction'],
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

type Handler = (args: { input: Record<string, unknown> }) => Promise<{ output: any }>
/** As the SDK's `initialize` step calls it: `commandName` is the DynamoDB operation's, e.g. `GetItemCommand`. */
export type SendMiddleware = (next: Handler, context: { commandName?: string }) => Handler

interface Added { name: string; priority: 'high' | 'normal'; middleware: SendMiddleware }
const addedByClient = new WeakMap<object, Added[]>()

/**
 * Wraps every call of `db` (once per call, whatever the retries under it): `high` ones outside the others, each in
 * the order added. A name added again replaces the earlier one.
 */
export function addSendMiddleware(db: DynamoDBDocumentClient, middleware: SendMiddleware, options: { name: string; priority?: 'high' | 'normal' }) {
  const priority = options.priority ?? 'normal'
  db.middlewareStack.add(middleware as never, { step: 'initialize', priority, name: options.name, override: true })
  const added = [...withoutName(db, options.name), { name: options.name, priority, middleware }]
  addedByClient.set(db, added.sort((a, b) => (a.priority === b.priority ? 0 : a.priority === 'high' ? -1 : 1)))
}

export function removeSendMiddleware(db: DynamoDBDocumentClient, name: string) {
  db.middlewareStack.remove(name)
  addedByClient.set(db, withoutName(db, name))
}

const withoutName = (db: DynamoDBDocumentClient, name: string) => (addedByClient.get(db) ?? []).filter((entry) => entry.name !== name)

/** Sends `db`'s document commands for data operations directly (the rest, and calls with options, go through the SDK). */
export function sendDataOperationsDirectly(db: DynamoDBDocumentClient, options: marshallOptions) {
  const direct = new DirectRequests(db, options)
  const send = db.send.bind(db) as (command: unknown, ...rest: unknown[]) => Promise<unknown>
  db.send = ((command: DocumentCommand, ...rest: unknown[]) => {
    const operation = dataOperations.get(command?.constructor)
    if (!operation || rest.length) return send(command, ...rest)
    const context = { commandName: `${operation}Command` }
    let handler: Handler = (args) => direct.send(operation, args.input, command)
    const added = addedByClient.get(db) ?? []
    for (let i = added.length - 1; i >= 0; i--) handler = added[i]!.middleware(handler, context)
    return handler({ input: command.input }).then(({ output }) => output)
  }) as unknown as DynamoDBDocumentClient['send']
}

interface DocumentCommand { input: Record<string, unknown>; inputKeyNodes: KeyNodes; outputKeyNodes: KeyNodes }

class DirectRequests {
  private readonly protocol: JsonProtocol

  constructor(private readonly db: DynamoDBDocumentClient, private readonly options: marshallOptions) {
    this.protocol = new JsonProtocol(db, 'DynamoDB_20120810', errors)
  }

  async send(operation: string, input: Record<string, unknown>, command: DocumentCommand) {
    const watch = attemptWatchers.get(this.db)
    const { answer, $metadata } = await this.protocol.request(operation, requestJson(input, command.inputKeyNodes, this.options), {
      replayable: !unreplayable.has(command),
      failedAttempt: watch && ((error) => watch(operation, error)),
    })
    const output = nativeAnswer(answer, command.outputKeyNodes)
    output.$metadata = $metadata
    return { output }
  }
}
