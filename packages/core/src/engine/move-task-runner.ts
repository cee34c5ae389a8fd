/**
 * @module engine/move-task-runner — the mover: advances every active message move task within a time budget.
 * Locally a server runs it every second; deployed, each sweeper run does (functions/sweeper.ts). A lease on the
 * task's active item lets one mover at a time work on a task; each message moves in one transaction (as a
 * redrive does), so it is in exactly one queue at every moment whoever moves it.
 */
import { systemClock } from '../clock.js'
import type { MoveTask } from '../model/move-task.js'
import { queueSettings, type Queue } from '../model/queue.js'
import { shardPartition } from '../storage/keys.js'
import { findReceivable, loadReceivable, type Candidate, type MessageStore } from '../storage/message-store.js'
import {
  addMoved, finishMoveTask, getMoveTask, leaseMoveTask, listActiveMoveTasks, type ActiveMoveTask,
} from '../storage/move-task-store.js'
import type { EngineDeps } from './deps.js'
import { moveTaskStore } from './move-tasks.js'
import { lookupQueue, lookupQueueByArn } from './queue-cache.js'
import { relocateMessage } from './standard/redrive.js'

/** A mover's lease on a task outlasts one batch comfortably; a crashed mover's task is picked up after it. */
const leaseMs = 15_000
/** Messages per batch: 10, or fewer at a slower rate, so the wait between batches stays about a second. */
const batchSize = (task: MoveTask) => Math.min(10, task.maxNumberOfMessagesPerSecond ?? 10)

export interface MoveOptions {
  /** This mover, for the lease. */
  owner: string
  /** Real time (ms) this run may take: a budget of the process, not of queue time. */
  budgetMs: number
  /** Called with each queue that received messages (wakes its long polls here). */
  onMoved?: (queue: Queue) => void
}

/** Works on each active task it can lease, until each is done or the budget is spent; returns the messages moved. */
export async function runMoveTasks(deps: EngineDeps, options: MoveOptions): Promise<number> {
  const deadline = systemClock.now() + options.budgetMs
  const tasks = moveTaskStore(deps)
  let moved = 0
  for (const active of await listActiveMoveTasks(tasks)) {
    if (systemClock.now() >= deadline) break
    if (!(await leaseMoveTask(tasks, active, options.owner, deps.clock.now(), leaseMs))) continue
    moved += await advance(deps, active, options, deadline)
  }
  return moved
}

async function advance(deps: EngineDeps, active: ActiveMoveTask, options: MoveOptions, deadline: number): Promise<number> {
  const tasks = moveTaskStore(deps)
  const messages: MessageStore = { db: deps.db, table: deps.tables.messages }
  const task = await getMoveTask(tasks, active)
  if (task?.status === 'CANCELLING') return finish(deps, active, 'CANCELLED')
  const source = await lookupQueue(deps, active.accountId, active.sourceName)
  if (!task || source?.id !== active.sourceQueueId) return finish(deps, active, 'FAILED', 'AWS.SimpleQueueService.NonExistentQueue')
  let moved = 0
  while (systemClock.now() < deadline) {
    const candidates = await visibleMessages(deps, messages, source, batchSize(task))
    if (candidates.length === 0) return moved + (await finish(deps, active, 'COMPLETED'))
    const targets = await destinations(deps, active.accountId, task, candidates)
    if (typeof targets === 'string') return moved + (await finish(deps, active, 'FAILED', targets))
    const results = await Promise.all(candidates.map((c, i) => relocateMessage(deps, messages, targets[i]!, c, undefined)))
    const count = results.filter(Boolean).length
    for (const target of new Set(targets.filter((_, i) => results[i]))) options.onMoved?.(target)
    moved += count
    // a cancel lands between batches: the batch in hand is finished, nothing after it starts
    if (!(await addMoved(tasks, active, count))) return moved + (await finish(deps, active, 'CANCELLED'))
    if (task.maxNumberOfMessagesPerSecond) await deps.clock.sleep((count * 1000) / task.maxNumberOfMessagesPerSecond)
    if (!(await leaseMoveTask(tasks, active, options.owner, deps.clock.now(), leaseMs))) break
  }
  return moved
}

async function finish(deps: EngineDeps, active: ActiveMoveTask, status: 'COMPLETED' | 'CANCELLED' | 'FAILED', reason?: string) {
  await finishMoveTask(moveTaskStore(deps), active, status, reason)
  return 0
}

/** Up to `max` messages receivable now, found as a receive finds them (delayed and in-flight ones stay where they are). */
async function visibleMessages(deps: EngineDeps, store: MessageStore, source: Queue, max: number): Promise<Candidate[]> {
  const now = deps.clock.now()
  const sentAfter = now - queueSettings(source).messageRetentionPeriod * 1000
  const found: Candidate[] = []
  for (let shard = 0; shard < source.shards && found.length < max; shard++) {
    const pk = shardPartition(source.id, source.gen, shard)
    const regions = await Promise.all((['hidden', 'fresh'] as const).map((region) => findReceivable(store, pk, region, { now, sentAfter }, max)))
    found.push(...(await loadReceivable(store, regions.flat(), now)).slice(0, max - found.length))
  }
  return found
}

/**
 * Where each message goes: the task's destination, or the queue it was dead-lettered from. A failure reason
 * instead when one cannot be moved: SQS fails the task rather than skip messages.
 */
async function destinations(deps: EngineDeps, accountId: string, task: MoveTask, candidates: Candidate[]): Promise<Queue[] | string> {
  const resolved = new Map<string, Queue | null>()
  const targets: Queue[] = []
  for (const candidate of candidates) {
    const arn = task.destinationArn ?? (candidate.raw.dlq as string | undefined)
    if (!arn) return 'CouldNotDetermineMessageSource'
    if (!resolved.has(arn)) resolved.set(arn, await lookupQueueByArn(deps, accountId, arn))
    const target = resolved.get(arn)
    if (!target || target.fifo) return 'AWS.SimpleQueueService.NonExistentQueue'
    targets.push(target)
  }
  return targets
}
