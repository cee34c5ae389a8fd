/** @module bench/scenarios/floor — the DynamoDB floor: the fewest operations any DynamoDB-backed queue needs per message, issued directly. */
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import { BatchWriteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { createDb, createTableInput, shuffled, tableDefinitions, type Db } from '@dqs/core'
import { randomBytes } from 'node:crypto'
import { makeBody } from '../support/bodies.js'
import { runLoad, type LoadOptions, type LoadResult } from '../support/load-loop.js'
import { sleep } from '../support/stats.js'

/**
 * Per message: 1/10 of a BatchWriteItem put, a share of one Query for visible items, one conditional UpdateItem
 * claim, 1/10 of a BatchWriteItem delete. Same table shape, shard count, body and visibility timeout as DQS;
 * none of DQS's HTTP, validation, MD5s, receipt handles or long polling.
 */
export interface FloorOptions extends LoadOptions {
  dynamoEndpoint: string
  shards: number
}

const visibilityMs = 30_000
const pageSize = 25

/** BatchWriteItem until nothing is left unprocessed; returns the number of calls it took. */
async function writeAll(db: Db, table: string, requests: Array<Record<string, unknown>>) {
  let pending = requests
  let calls = 0
  for (; pending.length; calls++) {
    if (calls) await sleep(25 * 2 ** Math.min(calls, 5))
    const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }))
    pending = (result.UnprocessedItems?.[table] ?? []) as typeof pending
  }
  return calls
}

function floorWorkload(db: Db, table: string, shards: number) {
  const partition = (shard: number) => `floor#0#${shard}`
  /** DynamoDB calls made by producers and by consumers, to compare with DQS's per message */
  const calls = { produce: 0, consume: 0 }
  return {
    calls,
    async produce() {
      const now = Date.now()
      const puts = Array.from({ length: 10 }, () => ({
        PutRequest: {
          Item: {
            pk: partition(Math.floor(Math.random() * shards)),
            sk: `${String(now).padStart(13, '0')}${randomBytes(6).toString('base64url')}`,
            vis: now, tok: randomBytes(8).toString('base64url'), exp: now + 345_600_000, b: makeBody('incompressible', 'floor'),
          },
        },
      }))
      const writes = await writeAll(db, table, puts)
      calls.produce += writes
      return 10
    },
    async consume() {
      for (const shard of shuffled([...Array(shards).keys()])) {
        const now = Date.now()
        calls.consume++
        const page = await db.send(new QueryCommand({
          TableName: table, KeyConditionExpression: 'pk = :pk', FilterExpression: 'vis <= :now',
          ExpressionAttributeValues: { ':pk': partition(shard), ':now': now }, Limit: pageSize,
        }))
        const candidates = shuffled(page.Items ?? []).slice(0, 10)
        if (candidates.length === 0) continue
        calls.consume += candidates.length
        const claimed = await Promise.all(candidates.map((item) => db.send(new UpdateCommand({
          TableName: table, Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET vis = :vis, tok = :tok',
          ConditionExpression: 'vis = :seen AND tok = :seenTok',
          ExpressionAttributeValues: { ':vis': now + visibilityMs, ':tok': randomBytes(8).toString('base64url'), ':seen': item.vis, ':seenTok': item.tok },
        })).then(() => item, (error) => {
          if (error?.name === 'ConditionalCheckFailedException') return null
          throw error
        })))
        const mine = claimed.filter((item) => item !== null)
        const deletes = mine.length ? await writeAll(db, table, mine.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }))) : 0
        calls.consume += deletes
        return mine.length
      }
      // an empty queue: back off as a minimal poller would, instead of spinning on empty queries
      await sleep(20)
      return 0
    },
  }
}

/** Runs the floor workload on its own table in the same DynamoDB Local, then drops the table. */
export async function runFloor(options: FloorOptions): Promise<LoadResult & { dynamoRequestsPerMessage: number }> {
  const db = createDb({ endpoint: options.dynamoEndpoint, region: 'us-east-1' })
  const table = `bench-floor-${randomBytes(4).toString('hex')}`
  const definition = tableDefinitions.find((d) => d.name === 'messages')!
  await db.send(new CreateTableCommand(createTableInput(definition, table)))
  try {
    const workload = floorWorkload(db, table, options.shards)
    const result = await runLoad(workload, options)
    const { produce, consume } = workload.calls
    return { ...result, dynamoRequestsPerMessage: produce / result.totals.sent + consume / result.totals.done }
  } finally {
    await db.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined)
    db.destroy()
  }
}
