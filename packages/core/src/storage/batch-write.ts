/** @module storage/batch-write — BatchWriteItem over any number of requests, with DynamoDB's unprocessed ones retried. */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb'
import { withoutReplay } from './direct-requests.js'
import type { Db } from './dynamo.js'

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } }

const perCall = 25
const attempts = 6
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * 25 requests a call; what DynamoDB leaves in `UnprocessedItems` (throttling) is sent again with backoff, 6 tries in
 * all. `replay: false` for writes that must not be replayed when their outcome is unknown (`withoutReplay`).
 * Returns the requests still unprocessed, as DynamoDB gave them back (equal in content to the ones given).
 */
export async function batchWrite<R extends WriteRequest>(db: Db, table: string, requests: R[], options: { replay: boolean }): Promise<R[]> {
  const left: R[] = []
  for (let start = 0; start < requests.length; start += perCall) {
    let pending = requests.slice(start, start + perCall)
    for (let attempt = 0; pending.length && attempt < attempts; attempt++) {
      if (attempt) await pause(25 * 2 ** attempt)
      const command = new BatchWriteCommand({ RequestItems: { [table]: pending } })
      const result = await db.send(options.replay ? command : withoutReplay(command))
      pending = (result.UnprocessedItems?.[table] ?? []) as R[]
    }
    left.push(...pending)
  }
  return left
}
