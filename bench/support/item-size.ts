/** @module bench/support/item-size — wire-form item sizes and claim bills, by the rules of storage/item-size.ts, to bill what DynamoDB Local does not report. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { documentItemSize, numberSize, writeUnits } from '@dqs/core'

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8')

/** A value in wire form (what a ConditionalCheckFailedException's `Item` carries). */
function wireValueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S)
  if (value.N !== undefined) return numberSize(value.N)
  if (value.B !== undefined) return value.B.byteLength
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1
  if (value.SS) return value.SS.reduce((sum, v) => sum + utf8(v), 0)
  if (value.NS) return value.NS.reduce((sum, v) => sum + numberSize(v), 0)
  if (value.BS) return value.BS.reduce((sum, v) => sum + v.byteLength, 0)
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + wireValueSize(v), 0)
  if (value.M) return 3 + wireItemSize(value.M) + Object.keys(value.M).length
  return 0
}

export function wireItemSize(item: Record<string, AttributeValue>): number {
  let size = 0
  for (const [name, value] of Object.entries(item)) size += utf8(name) + wireValueSize(value)
  return size
}

/** A BatchExecuteStatement answer in document-client form. */
type StatementResponses = Array<{ Item?: Record<string, unknown>; Error?: { Code?: string; Item?: Record<string, unknown> } }>

/**
 * What AWS bills for a BatchExecuteStatement of claims, which DynamoDB Local does not meter (it reports no
 * ConsumedCapacity for PartiQL): a claim that applied writes its item (1 WRU per KB of the item as stored after it,
 * which `RETURNING ALL NEW *` answers) and moves the item's `ready` index entry (~100 B: 1 WRU to delete the old
 * entry, 1 to put the new one); a claim whose condition failed is billed by the size of the item it found.
 */
export function claimBatchBill(responses: StatementResponses = []) {
  const bill = { appliedWru: 0, failedWru: 0, conditionFailures: 0 }
  for (const response of responses) {
    if (response.Item) bill.appliedWru += writeUnits(documentItemSize(response.Item)) + 2
    else if (response.Error?.Code === 'ConditionalCheckFailed') {
      bill.conditionFailures++
      bill.failedWru += writeUnits(response.Error.Item ? documentItemSize(response.Error.Item) : 0)
    }
  }
  return bill
}
