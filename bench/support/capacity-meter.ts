/** @module bench/support/capacity-meter — wraps a document client so every call reports its capacity, tallied as DynamoDB Local reports it and as AWS bills it. */
import {
  BatchExecuteStatementCommand, BatchGetCommand, BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { documentItemSize, writeUnits, type Db } from '@dqs/core'
import { AsyncLocalStorage } from 'node:async_hooks'
import { claimBatchBill, wireItemSize } from './item-size.js'

const operations = [
  ['Get', GetCommand], ['Query', QueryCommand], ['BatchGet', BatchGetCommand], ['Put', PutCommand], ['Update', UpdateCommand],
  ['Delete', DeleteCommand], ['BatchWrite', BatchWriteCommand], ['TransactWrite', TransactWriteCommand],
  ['BatchExecute', BatchExecuteStatementCommand],
] as const
const reads = new Set(['Get', 'Query', 'BatchGet'])

export interface Tally {
  calls: number
  /** what DynamoDB Local put in ConsumedCapacity */
  reported: number
  /** what AWS bills: reads rounded up to ≥ 0.5 RRU, transactions 2× per item, failed conditions ≥ 1 WRU */
  billed: number
}

type Input = Record<string, unknown> & { ConsistentRead?: boolean; ConditionExpression?: string }
type Capacity = { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> | undefined

const reportedUnits = (capacity: Capacity) =>
  (Array.isArray(capacity) ? capacity : capacity ? [capacity] : []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0)

export interface TallyKey {
  /** the SQS action being served when the call was made (`scope`), or `other` */
  action: string
  operation: string
  kind: 'read' | 'write'
  /** a condition that did not hold, or a cancelled transaction */
  failed: boolean
}

export class CapacityMeter {
  /** Run a request's handling inside `scope.run(action, …)` to attribute its DynamoDB calls to that action. */
  readonly scope = new AsyncLocalStorage<string>()
  private readonly tallies = new Map<string, { key: TallyKey; tally: Tally }>()

  reset() {
    this.tallies.clear()
  }

  /** Sums a field over the tallies whose key matches. */
  sum(match: (key: TallyKey) => boolean, field: keyof Tally = 'billed') {
    let sum = 0
    for (const { key, tally } of this.tallies.values()) if (match(key)) sum += tally[field]
    return sum
  }

  entries() {
    return [...this.tallies.values()]
  }

  /** Replaces `db.send` with one that asks for capacity on every data operation and tallies the answer. */
  wrap(db: Db): Db {
    const send = db.send.bind(db) as (command: unknown) => Promise<Record<string, unknown>>
    const meter = this
    db.send = (async (command: { input: Input }) => {
      const op = operations.find(([, type]) => command instanceof type)?.[0]
      if (!op) return send(command)
      command.input.ReturnConsumedCapacity = 'TOTAL'
      // a failed condition is billed by the size of the item that is there: ask for it back
      if (command.input.ConditionExpression && op !== 'TransactWrite') command.input.ReturnValuesOnConditionCheckFailure = 'ALL_OLD'
      const transactionBill = op === 'TransactWrite' ? await billTransaction(send, command.input) : 0
      try {
        const output = await send(command)
        if (op === 'BatchExecute') {
          // each claim is billed on its own; DynamoDB Local reports nothing for PartiQL
          const bill = claimBatchBill(output.Responses as Parameters<typeof claimBatchBill>[0])
          meter.add(op, false, 0, bill.appliedWru)
          if (bill.conditionFailures) meter.add(op, true, 0, bill.failedWru, 0)
          return output
        }
        const reported = reportedUnits(output.ConsumedCapacity as Capacity)
        meter.add(op, false, reported, billFor(op, command.input, reported, transactionBill))
        return output
      } catch (error) {
        const e = error as { name?: string; Item?: Record<string, AttributeValue> }
        if (e.name === 'ConditionalCheckFailedException') meter.add(op, true, 0, writeUnits(e.Item ? wireItemSize(e.Item) : 0))
        // billed as if it had committed: an upper bound (what AWS bills a cancelled transaction is not verified here)
        if (e.name === 'TransactionCanceledException') meter.add(op, true, 0, transactionBill)
        throw error
      }
    }) as Db['send']
    return db
  }

  private add(operation: string, failed: boolean, reported: number, billed: number, calls = 1) {
    const key: TallyKey = { action: this.scope.getStore() ?? 'other', operation, kind: reads.has(operation) ? 'read' : 'write', failed }
    const id = `${key.action}|${operation}|${failed}`
    const entry = this.tallies.get(id) ?? { key, tally: { calls: 0, reported: 0, billed: 0 } }
    entry.tally.calls += calls
    entry.tally.reported += reported
    entry.tally.billed += billed
    this.tallies.set(id, entry)
  }
}

/** AWS rounds every read up to a 4 KB unit, so even an empty eventually consistent query costs 0.5 RRU (Local says 0). */
function billFor(op: string, input: Input, reported: number, transactionBill: number) {
  if (op === 'TransactWrite') return transactionBill
  if (op === 'Get' || op === 'Query') return Math.max(reported, input.ConsistentRead ? 1 : 0.5)
  return reported
}

/**
 * 2 × the write units of every item in the transaction (AWS: prepare + commit; Local under-reports). Items that are
 * updated, deleted or checked are billed by their stored size, read here first (not tallied).
 */
async function billTransaction(send: (command: unknown) => Promise<Record<string, unknown>>, input: Input) {
  type Action = { TableName: string; Key?: Record<string, unknown>; Item?: Record<string, unknown> }
  const items = (input.TransactItems as Array<Record<string, Action>>).map((entry) => Object.values(entry)[0]!)
  const sizes = await Promise.all(items.map(async (action) => {
    if (action.Item) return documentItemSize(action.Item)
    const { Item } = await send(new GetCommand({ TableName: action.TableName, Key: action.Key!, ConsistentRead: true }))
    return Item ? documentItemSize(Item as Record<string, unknown>) : 0
  }))
  return 2 * sizes.reduce((sum, size) => sum + writeUnits(size), 0)
}
