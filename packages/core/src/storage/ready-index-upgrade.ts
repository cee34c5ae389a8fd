/**
 * @module storage/ready-index-upgrade — standard message items written before the `ready` index existed (data kept
 * in `./.dqs`, a deployed table) get their index entry, so receives find them. Runs once per messages table: a
 * marker item in the queues table records that it finished; until then every start (or sweeper run) resumes it.
 */
import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { Db } from './dynamo.js'
import { unlessConditionFails } from './dynamo-errors.js'
import { parseShardPartition } from './keys.js'
import { readyIndexEntry } from './ready-index.js'
import type { TableNames } from './tables.js'

/**
 * Ready-index upgrade marker (queues table): one per messages table, written once the upgrade has finished. No TTL.
 *
 * | attribute | type | meaning | written by |
 * |---|---|---|---|
 * | pk | S | `upgrade` | `upgradeToReadyIndex` |
 * | sk | S | `ready-index#<messages table name>` | `upgradeToReadyIndex` |
 * | at | N | when the upgrade finished (wall-clock ms) | `upgradeToReadyIndex` |
 *
 * Cost: 1 WRU, once; every server start and sweeper run reads it (0.5 RRU). The upgrade itself also writes `rq`
 * and `ready` on each older standard message item (storage/message-item.ts).
 */
const markerKey = (messagesTable: string) => ({ pk: 'upgrade', sk: `ready-index#${messagesTable}` })

/** Whether the upgrade has finished for these tables: a read of the marker (ResourceNotFoundException: no queues table). */
export async function readyIndexUpgraded(db: Db, tables: TableNames) {
  const { Item } = await db.send(new GetCommand({ TableName: tables.queues, Key: markerKey(tables.messages) }))
  return Item !== undefined
}

/**
 * Lists every unindexed standard message item in the `ready` index. Cost: one scan of the table, once. A messages
 * table created just now (`tableIsNew`) holds no older item: the marker alone is written.
 */
export async function upgradeToReadyIndex(db: Db, tables: TableNames, options: { tableIsNew?: boolean } = {}) {
  const marker = markerKey(tables.messages)
  if (options.tableIsNew) {
    await db.send(new PutCommand({ TableName: tables.queues, Item: { ...marker, at: Date.now() } }))
    return 0
  }
  if (await readyIndexUpgraded(db, tables)) return 0
  let upgraded = 0
  let startKey: Record<string, unknown> | undefined
  do {
    const page = await db.send(new ScanCommand({
      TableName: tables.messages,
      FilterExpression: 'attribute_exists(vis) AND attribute_not_exists(rq)',
      ProjectionExpression: 'pk, sk, vis, sa',
      ExclusiveStartKey: startKey,
    }))
    for (const item of page.Items ?? []) {
      if (!parseShardPartition(item.pk as string)) continue // FIFO message items are found through their group
      const entry = readyIndexEntry(item.pk as string, { visibleAt: item.vis as number, sentAt: item.sa as number })
      const listed = await unlessConditionFails(async () => {
        await db.send(new UpdateCommand({
          TableName: tables.messages, Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET rq = :rq, ready = :ready',
          // a receive since the scan wrote its own entry; a delete left nothing to list
          ConditionExpression: 'attribute_not_exists(rq) AND vis = :vis',
          ExpressionAttributeValues: { ':rq': entry.rq, ':ready': entry.ready, ':vis': item.vis },
        }))
        return true
      }, false)
      if (listed) upgraded++
    }
    startKey = page.LastEvaluatedKey
  } while (startKey)
  await db.send(new PutCommand({ TableName: tables.queues, Item: { ...marker, at: Date.now() } }))
  return upgraded
}
