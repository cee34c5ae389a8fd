/**
 * @module storage/move-task-store — message move tasks in the queues table: one item per task (kept 14 days), and
 * one "active" item per source queue while a task runs, which makes "one active task per source" a condition and
 * lists the work of the movers. The active item also holds the lease of the mover working on it.
 *
 * Move task item (queues table): a `MoveTask` (model/move-task.ts) under its key.
 *
 * | attribute | type | meaning | written by |
 * |---|---|---|---|
 * | pk | S | `movetask#<sourceQueueId>` (keys.ts `moveTaskKey`) | `createMoveTask` (StartMessageMoveTask) |
 * | sk | S | `<13-digit start ms>#<taskId>`: ListMessageMoveTasks reads newest first | `createMoveTask` |
 * | taskId | S | UUID, also in the task handle | `createMoveTask` |
 * | status | S | RUNNING, CANCELLING, COMPLETED, CANCELLED or FAILED | `createMoveTask`, `requestCancel` (CancelMessageMoveTask), `finishMoveTask` (the mover) |
 * | sourceArn | S | the dead-letter queue the messages leave | `createMoveTask` |
 * | destinationArn | S | where they go; absent: each back to the queue it was dead-lettered from | `createMoveTask` |
 * | maxNumberOfMessagesPerSecond | N | the requested rate; absent: as fast as the mover goes | `createMoveTask` |
 * | moved | N | ApproximateNumberOfMessagesMoved | `createMoveTask` (0), `addMoved` (ADD, once per batch) |
 * | toMove | N | ApproximateNumberOfMessagesToMove: the source's messages at the start | `createMoveTask` |
 * | startedAt | N | StartedTimestamp (ms) | `createMoveTask` |
 * | failureReason | S | why a FAILED task failed | `finishMoveTask` |
 * | ttl | N | epoch seconds: 14 days after the start, as long as SQS lists tasks | `createMoveTask` |
 *
 * Active move task item (queues table): present while a task is RUNNING or CANCELLING. No TTL.
 *
 * | attribute | type | meaning | written by |
 * |---|---|---|---|
 * | pk | S | `movetasks-active`: one partition lists every active task (keys.ts `activeMoveTaskKey`) | `createMoveTask` |
 * | sk | S | the source queue's id: at most one active task per source (condition of `createMoveTask`) | `createMoveTask` |
 * | sourceQueueId, accountId, sourceName, taskId, startedAt | S, S, S, S, N | what a mover needs to find the task item and the source queue (`ActiveMoveTask`) | `createMoveTask` |
 * | mover | S | id of the mover holding the lease | `leaseMoveTask` |
 * | moverUntil | N | when that lease ends (ms) | `leaseMoveTask` |
 *
 * Removed by `finishMoveTask`, in the transaction that writes the final status. Cost: no figures are stated here;
 * both items are a few hundred bytes (ARNs and ids), so a write is 1 WRU, and each item costs twice that inside
 * the transactions of `createMoveTask` and `finishMoveTask`.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { MoveTask, MoveTaskStatus } from '../model/move-task.js'
import type { Db } from './dynamo.js'
import { cancellationReasons, unlessConditionFails } from './dynamo-errors.js'
import { activeMoveTaskKey, activeMoveTaskPartition, moveTaskKey, moveTaskPartition } from './keys.js'

export interface MoveTaskStore {
  db: Db
  table: string
}

/** What a mover needs to find the task and its source queue again. */
export interface ActiveMoveTask {
  sourceQueueId: string
  accountId: string
  sourceName: string
  taskId: string
  startedAt: number
}

/** Tasks are listed for 14 days after they start, as SQS does. */
const keepSeconds = 14 * 86_400

const taskKey = (active: Pick<ActiveMoveTask, 'sourceQueueId' | 'startedAt' | 'taskId'>) =>
  moveTaskKey(active.sourceQueueId, active.startedAt, active.taskId)

function toTask(item: Record<string, unknown>): MoveTask {
  const { pk: _pk, sk: _sk, ttl: _ttl, ...task } = item
  return task as unknown as MoveTask
}

/**
 * One transaction: the active item (condition: none yet for this source) and the task item.
 * Returns false when another task is active on the source.
 */
export async function createMoveTask(store: MoveTaskStore, active: ActiveMoveTask, task: MoveTask): Promise<boolean> {
  try {
    await store.db.send(new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: store.table, Item: { ...activeMoveTaskKey(active.sourceQueueId), ...active },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: store.table, Item: { ...taskKey(active), ...task, ttl: Math.ceil(task.startedAt / 1000) + keepSeconds } } },
      ],
    }))
    return true
  } catch (error) {
    if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return false
    throw error
  }
}

/** The source's tasks, newest first. Consistent: 1 RRU per 4 KB. */
export async function listMoveTasks(store: MoveTaskStore, sourceQueueId: string, limit: number): Promise<MoveTask[]> {
  const { Items } = await store.db.send(new QueryCommand({
    TableName: store.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': moveTaskPartition(sourceQueueId) },
    ScanIndexForward: false, Limit: limit, ConsistentRead: true,
  }))
  return (Items ?? []).map(toTask)
}

export async function getActiveMoveTask(store: MoveTaskStore, sourceQueueId: string): Promise<ActiveMoveTask | null> {
  const { Item } = await store.db.send(new GetCommand({ TableName: store.table, Key: activeMoveTaskKey(sourceQueueId), ConsistentRead: true }))
  return (Item as ActiveMoveTask | undefined) ?? null
}

/** Every active task (one partition; there is at most one per source queue). */
export async function listActiveMoveTasks(store: MoveTaskStore): Promise<ActiveMoveTask[]> {
  const tasks: ActiveMoveTask[] = []
  let startKey: Record<string, unknown> | undefined
  do {
    const page = await store.db.send(new QueryCommand({
      TableName: store.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': activeMoveTaskPartition },
      ExclusiveStartKey: startKey,
    }))
    tasks.push(...((page.Items ?? []) as ActiveMoveTask[]))
    startKey = page.LastEvaluatedKey
  } while (startKey)
  return tasks
}

export async function getMoveTask(store: MoveTaskStore, active: ActiveMoveTask): Promise<MoveTask | null> {
  const { Item } = await store.db.send(new GetCommand({ TableName: store.table, Key: taskKey(active), ConsistentRead: true }))
  return Item ? toTask(Item) : null
}

/**
 * Take (or keep) the mover's lease on an active task. Condition: still active, and no other mover's lease runs.
 * Returns false when another mover has it or the task ended.
 */
export async function leaseMoveTask(store: MoveTaskStore, active: ActiveMoveTask, owner: string, now: number, leaseMs: number) {
  return unlessConditionFails(async () => {
    await store.db.send(new UpdateCommand({
      TableName: store.table, Key: activeMoveTaskKey(active.sourceQueueId),
      UpdateExpression: 'SET mover = :me, moverUntil = :until',
      ConditionExpression: 'taskId = :task AND (attribute_not_exists(mover) OR mover = :me OR moverUntil < :now)',
      ExpressionAttributeValues: { ':me': owner, ':until': now + leaseMs, ':now': now, ':task': active.taskId },
    }))
    return true
  }, false)
}

/** Count moved messages. Condition: RUNNING or CANCELLING. Returns whether the task is still RUNNING (false → cancelled meanwhile). */
export async function addMoved(store: MoveTaskStore, active: ActiveMoveTask, count: number): Promise<boolean> {
  return unlessConditionFails(async () => {
    // a batch moved while a cancel landed still counts: its messages did move
    const { Attributes } = await store.db.send(new UpdateCommand({
      TableName: store.table, Key: taskKey(active),
      UpdateExpression: 'ADD moved :n', ConditionExpression: '#status IN (:running, :cancelling)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':n': count, ':running': 'RUNNING', ':cancelling': 'CANCELLING' },
      ReturnValues: 'ALL_NEW',
    }))
    return Attributes?.status === 'RUNNING'
  }, false)
}

/** CancelMessageMoveTask. Condition: RUNNING. Returns the task as it now stands, or null when it was not running. */
export async function requestCancel(store: MoveTaskStore, active: ActiveMoveTask): Promise<MoveTask | null> {
  return unlessConditionFails(async () => {
    const { Attributes } = await store.db.send(new UpdateCommand({
      TableName: store.table, Key: taskKey(active),
      UpdateExpression: 'SET #status = :cancelling', ConditionExpression: '#status = :running',
      ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':cancelling': 'CANCELLING', ':running': 'RUNNING' },
      ReturnValues: 'ALL_NEW',
    }))
    return Attributes ? toTask(Attributes) : null
  }, null)
}

/** One transaction: the task's final status (and reason), and its active item gone, so the source can start another. */
export async function finishMoveTask(store: MoveTaskStore, active: ActiveMoveTask, status: Exclude<MoveTaskStatus, 'RUNNING' | 'CANCELLING'>, failureReason?: string) {
  await store.db.send(new TransactWriteCommand({
    TransactItems: [
      {
        Update: {
          TableName: store.table, Key: taskKey(active),
          UpdateExpression: failureReason ? 'SET #status = :status, failureReason = :reason' : 'SET #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ...(failureReason ? { ':reason': failureReason } : {}) },
        },
      },
      { Delete: { TableName: store.table, Key: activeMoveTaskKey(active.sourceQueueId), ConditionExpression: 'taskId = :task', ExpressionAttributeValues: { ':task': active.taskId } } },
    ],
  })).catch((error: unknown) => {
    // another mover finished it first
    if (!cancellationReasons(error)?.some((r) => r.Code === 'ConditionalCheckFailed')) throw error
  })
}
