/** @module storage/stats-store — the snapshot of a FIFO queue's approximate counts in the queues table. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import type { Db } from './dynamo.js'
import { statsKey } from './keys.js'

export interface CountsSnapshot {
  visible: number
  notVisible: number
  delayed: number
  gen: number
  at: number
}

/** Cost: 0.5 RRU. */
export async function getCountsSnapshot(db: Db, table: string, queueId: string): Promise<CountsSnapshot | null> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: statsKey(queueId) }))
  return Item ? (Item as unknown as CountsSnapshot) : null
}

/** Cost: 1 WRU. Kept a day after the last write, so deleted queues' snapshots go away by TTL. */
export async function putCountsSnapshot(db: Db, table: string, queueId: string, snapshot: CountsSnapshot) {
  await db.send(new PutCommand({ TableName: table, Item: { ...statsKey(queueId), ...snapshot, ttl: Math.ceil(snapshot.at / 1000) + 86_400 } }))
}
