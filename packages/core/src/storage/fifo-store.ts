/** @module storage/fifo-store — FIFO group partitions: read a group with its messages, change its state, find ready groups. */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { StoredMessage } from '../model/message.js'
import type { Db } from './dynamo.js'
import { unlessConditionFails } from './dynamo-errors.js'
import { decodeGroup, groupUpdate, type GroupChange, type GroupState } from './fifo-group-item.js'
import { fifoAfterMessage, fifoGroupSortKey, isFifoMessageSortKey } from './keys.js'
import { chunkCount, decodeMessage } from './message-item.js'
import { deleteMessageItem } from './message-store.js'

export interface FifoStore {
  db: Db
  table: string
}

/** Read one group item. Consistent (1 RRU): every state change starts from the exact version it conditions on. */
export async function getGroup(store: FifoStore, pk: string): Promise<GroupState | null> {
  const { Item } = await store.db.send(new GetCommand({ TableName: store.table, Key: { pk, sk: fifoGroupSortKey }, ConsistentRead: true }))
  return Item ? decodeGroup(Item) : null
}

export interface GroupPage {
  /** The group item (first page only; null when the group does not exist). */
  group: GroupState | null
  /** Messages in sequence order, big bodies reassembled from their chunk items. */
  messages: StoredMessage[]
  /** Where to continue (`after`), when the partition may hold more messages. */
  next?: string
}

/**
 * Read a group partition in sequence order: the group item, then up to `count` messages with their chunks
 * (chunk items sort right after their message). Consistent, so the messages match the group item's version.
 * Finished messages not yet physically deleted are returned too: the caller tells them apart by the group item.
 * Cost: 1 RRU per 4 KB read (strongly consistent).
 */
export async function readGroup(store: FifoStore, pk: string, count: number, after?: string): Promise<GroupPage> {
  const raw: Array<Record<string, unknown>> = []
  let messages = 0
  let startKey: Record<string, unknown> | undefined
  let missingChunks = 0
  do {
    const page = await store.db.send(new QueryCommand({
      TableName: store.table,
      KeyConditionExpression: after === undefined ? 'pk = :pk' : 'pk = :pk AND sk > :after',
      ExpressionAttributeValues: { ':pk': pk, ...(after === undefined ? {} : { ':after': after }) },
      ConsistentRead: true,
      ExclusiveStartKey: startKey,
      // +1 for the group item; chunk items count too, which only makes big-body pages shorter
      Limit: count - messages + 1 + missingChunks,
    }))
    for (const item of page.Items ?? []) {
      raw.push(item)
      if (isFifoMessageSortKey(item.sk as string)) {
        messages++
        missingChunks = chunkCount(item)
      } else if (item.sk !== fifoGroupSortKey) missingChunks--
    }
    startKey = page.LastEvaluatedKey
  } while (startKey && (messages < count || missingChunks > 0))
  const first = raw[0]
  const group = after === undefined && first?.sk === fifoGroupSortKey ? decodeGroup(first) : null
  const decoded: StoredMessage[] = []
  for (let i = 0; i < raw.length; i++) {
    const item = raw[i]!
    if (!isFifoMessageSortKey(item.sk as string)) continue
    const chunks = raw.slice(i + 1, i + 1 + chunkCount(item)).map((c) => c.c as Uint8Array)
    decoded.push(decodeMessage(item, chunks))
  }
  const last = decoded.at(-1)
  return { group, messages: decoded, next: startKey && last ? fifoAfterMessage(last.sk) : undefined }
}

/**
 * Apply one change to a group item (receive lock, delete, visibility, clean-up).
 * Condition and writes: see `groupUpdate`. Cost: 1 WRU (+ 2 index WRU when `ready` moves), billed on failure too.
 * Returns false on contention: someone changed the group since it was read.
 */
export async function writeGroup(store: FifoStore, seen: GroupState, change: GroupChange): Promise<boolean> {
  return unlessConditionFails(async () => {
    await store.db.send(new UpdateCommand(groupUpdate(store.table, seen, change)))
    return true
  }, false)
}

/**
 * Groups receivable by `now` in one shard of the `ready` index, oldest first. The index is eventually consistent
 * (KEYS_ONLY, 0.5 RRU per 4 KB): an entry is a hint; the group item decides.
 */
export async function queryReadyGroups(store: FifoStore, rq: string, now: number, limit: number) {
  const page = await store.db.send(new QueryCommand({
    TableName: store.table,
    IndexName: 'ready',
    KeyConditionExpression: 'rq = :rq AND ready <= :now',
    ExpressionAttributeValues: { ':rq': rq, ':now': now },
    Limit: limit,
  }))
  return (page.Items ?? []).map((item) => ({ pk: item.pk as string, ready: item.ready as number }))
}

/**
 * Remove finished messages' items and their chunks. No condition: the group item already records them as
 * finished, so this is clean-up, and a leftover is found and removed again by the next receive (TTL is the backstop).
 * Cost: 1 WRU per KB per item.
 */
export async function deleteFinishedMessages(store: FifoStore, keys: Array<{ pk: string; sk: string }>) {
  await Promise.all(keys.map((key) => deleteMessageItem(store, key)))
}
