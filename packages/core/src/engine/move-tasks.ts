/** @module engine/move-tasks — StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask (a mover does the moving). */
import { InvalidParameterValue, ResourceNotFoundException, UnsupportedOperation } from '../errors.js'
import { newTaskId } from '../ids.js'
import { decodeTaskHandle, encodeTaskHandle, type MoveTask } from '../model/move-task.js'
import type { Queue } from '../model/queue.js'
import {
  createMoveTask, getActiveMoveTask, listMoveTasks, requestCancel, type MoveTaskStore,
} from '../storage/move-task-store.js'
import type { EngineDeps } from './deps.js'
import type { ApproximateCounts } from './queue-attributes.js'
import { lookupQueueByArn } from './queue-cache.js'
import { listDeadLetterSourceQueues } from './queues.js'

export const moveTaskStore = (deps: EngineDeps): MoveTaskStore => ({ db: deps.db, table: deps.tables.queues })

async function existing(deps: EngineDeps, accountId: string, arn: string, parameter: 'SourceArn' | 'DestinationArn') {
  const queue = await lookupQueueByArn(deps, accountId, arn)
  if (!queue) throw new ResourceNotFoundException(`The resource that you specified for the ${parameter} parameter doesn't exist.`)
  if (queue.fifo) throw new UnsupportedOperation('Message move tasks are supported for standard queues only.')
  return queue
}

export interface StartMoveTaskInput {
  sourceArn: string
  destinationArn?: string
  maxNumberOfMessagesPerSecond?: number
}

/** Records a RUNNING task (one active per source) and returns its handle; a mover (`move-task-runner.ts`) moves. */
export async function startMessageMoveTask(
  deps: EngineDeps, accountId: string, input: StartMoveTaskInput, counts: (queue: Queue) => Promise<ApproximateCounts>,
): Promise<string> {
  const source = await existing(deps, accountId, input.sourceArn, 'SourceArn')
  if (input.destinationArn !== undefined) await existing(deps, accountId, input.destinationArn, 'DestinationArn')
  const sources = await listDeadLetterSourceQueues(deps, source, { maxResults: 1 })
  if (sources.items.length === 0) throw new InvalidParameterValue('Source queue must be configured as a Dead Letter Queue.')
  const { visible, notVisible, delayed } = await counts(source)
  const task: MoveTask = {
    taskId: newTaskId(), status: 'RUNNING', sourceArn: input.sourceArn, moved: 0, toMove: visible + notVisible + delayed,
    startedAt: deps.clock.now(),
    ...(input.destinationArn !== undefined ? { destinationArn: input.destinationArn } : {}),
    ...(input.maxNumberOfMessagesPerSecond !== undefined ? { maxNumberOfMessagesPerSecond: input.maxNumberOfMessagesPerSecond } : {}),
  }
  const active = { sourceQueueId: source.id, accountId, sourceName: source.name, taskId: task.taskId, startedAt: task.startedAt }
  if (!(await createMoveTask(moveTaskStore(deps), active, task))) {
    throw new InvalidParameterValue('There is already a task running. Only one active task is allowed for a source queue arn at a given time.')
  }
  return encodeTaskHandle(task)
}

/** The source's most recent tasks, newest first; only a RUNNING task shows its handle. */
export async function listMessageMoveTasks(deps: EngineDeps, accountId: string, sourceArn: string, maxResults: number) {
  const source = await existing(deps, accountId, sourceArn, 'SourceArn')
  const tasks = await listMoveTasks(moveTaskStore(deps), source.id, maxResults)
  return tasks.map((task) => ({ ...task, ...(task.status === 'RUNNING' ? { taskHandle: encodeTaskHandle(task) } : {}) }))
}

/** Asks the mover to stop (CANCELLING; it ends CANCELLED); answers how many messages were moved so far. */
export async function cancelMessageMoveTask(deps: EngineDeps, accountId: string, handle: string): Promise<number> {
  const decoded = decodeTaskHandle(handle)
  if (!decoded) throw new InvalidParameterValue('Value for parameter TaskHandle is invalid.')
  const source = await lookupQueueByArn(deps, accountId, decoded.sourceArn)
  const active = source && (await getActiveMoveTask(moveTaskStore(deps), source.id))
  const cancelling = active && active.taskId === decoded.taskId ? await requestCancel(moveTaskStore(deps), active) : null
  if (!cancelling) throw new ResourceNotFoundException('Task does not exist.')
  return cancelling.moved
}
