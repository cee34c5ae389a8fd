/**
 * @module metrics/dynamo-meter — every DynamoDB request of the process, counted from the client's middleware:
 * requests by operation and outcome, the capacity units DynamoDB reports consumed (every data request asks for
 * them: `ReturnConsumedCapacity: 'TOTAL'` adds a few bytes to the answer and costs nothing), throttled attempts and
 * the SDK's retries.
 */
import { addSendMiddleware, watchFailedAttempts, type Db } from '@dqs/core'
import type { DqsMetrics } from './registry.js'

/** Operations that answer ConsumedCapacity when asked, and whether they read or write. */
const capacityKinds: Record<string, 'read' | 'write'> = {
  GetItem: 'read', Query: 'read', Scan: 'read', BatchGetItem: 'read', TransactGetItems: 'read',
  PutItem: 'write', UpdateItem: 'write', DeleteItem: 'write', BatchWriteItem: 'write', TransactWriteItems: 'write',
  // DQS batches only writes (receives' claims); DynamoDB Local reports nothing for PartiQL, DynamoDB does
  BatchExecuteStatement: 'write',
}
/** The document client's command names, as DynamoDB calls the operations. */
const operationNames: Record<string, string> = {
  Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', BatchGet: 'BatchGetItem', BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems', TransactWrite: 'TransactWriteItems',
}
const throttlingNames = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'ThrottlingError'])

interface Capacity {
  TableName?: string
  CapacityUnits?: number
  ReadCapacityUnits?: number
  WriteCapacityUnits?: number
}

const operationOf = (commandName: unknown) => {
  const name = String(commandName ?? 'Unknown').replace(/Command$/, '')
  return operationNames[name] ?? name
}

function countCapacity(metrics: DqsMetrics, operation: string, consumed: unknown) {
  const kind = capacityKinds[operation]
  if (!kind || !consumed) return
  for (const entry of (Array.isArray(consumed) ? consumed : [consumed]) as Capacity[]) {
    const table = entry.TableName ?? 'unknown'
    const read = entry.ReadCapacityUnits ?? (kind === 'read' ? entry.CapacityUnits : 0) ?? 0
    const write = entry.WriteCapacityUnits ?? (kind === 'write' ? entry.CapacityUnits : 0) ?? 0
    if (read) metrics.dynamoReadUnits.inc({ operation, table }, read)
    if (write) metrics.dynamoWriteUnits.inc({ operation, table }, write)
  }
}

/** Adds the meter to a DynamoDB client (once: the middleware is named and replaces an earlier one). */
export function meterDynamo(db: Db, metrics: DqsMetrics) {
  // outermost: one count per call, whatever the retries under it
  addSendMiddleware(
    db,
    (next, context) => async (args) => {
      const operation = operationOf(context.commandName)
      if (capacityKinds[operation] && args.input && args.input.ReturnConsumedCapacity === undefined) {
        args = { ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } }
      }
      try {
        const result = await next(args)
        const output = result.output as { ConsumedCapacity?: unknown; $metadata?: { attempts?: number } }
        metrics.dynamoRequests.inc({ operation, outcome: 'success' })
        countCapacity(metrics, operation, output.ConsumedCapacity)
        if ((output.$metadata?.attempts ?? 1) > 1) metrics.dynamoRetries.inc({ operation }, output.$metadata!.attempts! - 1)
        return result
      } catch (error) {
        const e = error as { name?: string; $metadata?: { attempts?: number }; original?: { name?: string } }
        const name = e?.name ?? ''
        const outcome = name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException'
          ? 'condition_failed'
          : throttlingNames.has(name) ? 'throttled' : 'error'
        metrics.dynamoRequests.inc({ operation, outcome })
        if ((e?.$metadata?.attempts ?? 1) > 1) metrics.dynamoRetries.inc({ operation }, e.$metadata!.attempts! - 1)
        throw error
      }
    },
    { priority: 'high', name: 'dqsMeterRequests' },
  )
  // each attempt's throttling, retried or not
  watchFailedAttempts(db, (operation, error) => {
    if (throttlingNames.has((error as { name?: string })?.name ?? '')) metrics.dynamoThrottles.inc({ operation })
  })
}
