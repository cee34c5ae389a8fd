/** DynamoDB capacity as DynamoDB Local reports it, added up over every request a document client sends. */
import type { Db } from '@dqs/core'
import { claimBatchBill } from '../../bench/support/item-size.js'

/** What DynamoDB reported for the requests sent so far: their number (in all, and by command), read and write capacity units, failed conditions. */
export interface Capacity {
  requests: number
  /** requests by the document client command's class name, e.g. `QueryCommand` */
  commands: Record<string, number>
  rru: number
  wru: number
  conditionFailures: number
}

const readCommands = new Set(['GetCommand', 'QueryCommand', 'ScanCommand', 'BatchGetCommand', 'TransactGetCommand'])

/** Makes every request of `db` ask for its consumed capacity and adds it up; returns a reader of the totals. */
export function meterCapacity(db: Db): () => Capacity {
  const totals: Capacity = { requests: 0, commands: {}, rru: 0, wru: 0, conditionFailures: 0 }
  const send = db.send.bind(db)
  db.send = (async (command: { input: Record<string, unknown>; constructor: { name: string } }) => {
    command.input.ReturnConsumedCapacity = 'TOTAL'
    totals.requests++
    totals.commands[command.constructor.name] = (totals.commands[command.constructor.name] ?? 0) + 1
    try {
      const output = await send(command as never) as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }>; Responses?: [] }
      if (command.constructor.name === 'BatchExecuteStatementCommand') {
        const bill = claimBatchBill(output.Responses)
        totals.wru += bill.appliedWru + bill.failedWru
        totals.conditionFailures += bill.conditionFailures
        return output
      }
      const units = [output.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0)
      if (readCommands.has(command.constructor.name)) totals.rru += units
      else totals.wru += units
      return output
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') totals.conditionFailures++
      throw error
    }
  }) as typeof db.send
  return () => ({ ...totals, commands: { ...totals.commands } })
}
