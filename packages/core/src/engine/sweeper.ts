/** @module engine/sweeper — background clean-up within a budget: dead generations (purge, DeleteQueue) and expired messages. */
import { queueSettings, type Queue } from '../model/queue.js'
import { shardPartition } from '../storage/keys.js'
import {
  deleteItems, deleteSweepWork, getPass, listSweepWork, partitionKeys, putPass, scanGenerationKeys, scanQueues,
  type ItemKey, type PassState, type SweepStore,
} from '../storage/sweep-store.js'
import type { SweepWork } from '../storage/sweep-work.js'
import type { EngineDeps } from './deps.js'
import { SweepBudget } from './sweep-budget.js'

/**
 * A send that read the queue just before its purge or deletion can still write into the old generation for a
 * moment (queue cache of ~1 s, SDK retries): a generation is declared clean only by a sweep that starts this late.
 */
export const sweepGraceMs = 2 * 60_000

/** Keys read per page; items one scan page evaluates; generations one table scan serves (each is a filter term). */
const pageSize = 100
const scanPageSize = 500
const generationsPerScan = 25
const queuesPerPage = 25

export interface SweepOptions {
  budgetMs: number
  maxItems: number
}

export interface SweepReport {
  deleted: number
  generationsCleaned: number
  queuesSwept: number
  /** false when the budget ran out: the next run continues where this one stopped */
  complete: boolean
}

interface Run {
  deps: EngineDeps
  store: SweepStore
  report: SweepReport
}

/**
 * One sweeper run. Every step is an idempotent delete of garbage, and progress is saved as it goes, so runs may
 * overlap or be cut off at any point. Dead generations get half the budget first, so a huge purge cannot starve
 * expiry on live queues; whatever the live-queue pass leaves goes back to them.
 */
export async function sweep(deps: EngineDeps, options: SweepOptions): Promise<SweepReport> {
  const run: Run = {
    deps,
    store: { db: deps.db, tables: deps.tables },
    report: { deleted: 0, generationsCleaned: 0, queuesSwept: 0, complete: false },
  }
  const start = deps.clock.now()
  const first = new SweepBudget(deps.clock, start + options.budgetMs / 2, Math.ceil(options.maxItems / 2))
  const deadDone = await sweepDeadGenerations(run, first)
  const rest = new SweepBudget(deps.clock, start + options.budgetMs, options.maxItems - first.deleted)
  const liveDone = await sweepLiveQueues(run, rest)
  const allDeadDone = deadDone || (await sweepDeadGenerations(run, rest))
  run.report.deleted = first.deleted + rest.deleted
  run.report.complete = allDeadDone && liveDone
  return run.report
}

/** Deletes a partition's items (all, or only those sent before `sentBefore`); false when the budget ran out first. */
async function clearPartition(run: Run, pk: string, budget: SweepBudget, sentBefore?: number): Promise<boolean> {
  let after: ItemKey | undefined
  do {
    if (budget.exhausted) return false
    const page = await partitionKeys(run.store, pk, Math.min(pageSize, budget.room), { sentBefore, after })
    budget.spend(await deleteItems(run.store, page.keys))
    after = page.lastKey
  } while (after)
  return true
}

async function sweepDeadGenerations(run: Run, budget: SweepBudget): Promise<boolean> {
  const unlisted: SweepWork[] = []
  let after: ItemKey | undefined
  do {
    const page = await listSweepWork(run.store, after)
    for (const work of page.works) {
      if (!(await sweepGeneration(run, work, budget))) return false
      if (work.fifo) unlisted.push(work)
    }
    after = page.lastKey
  } while (after)
  return scanGenerations(run, unlisted, budget)
}

/**
 * Clears a dead generation's shards. A standard generation lives only in its shards, so once they are empty after
 * the grace period it is clean; a FIFO one has a partition per message group as well, which only the table scan
 * finds. FIFO dedup and receive-attempt records live outside the generation's partitions and expire by TTL.
 */
async function sweepGeneration(run: Run, work: SweepWork, budget: SweepBudget): Promise<boolean> {
  const sweptAt = run.deps.clock.now()
  for (let shard = 0; shard < work.shards; shard++) {
    if (!(await clearPartition(run, shardPartition(work.queueId, work.gen, shard), budget))) return false
  }
  if (!work.fifo && sweptAt - work.at >= sweepGraceMs) {
    await deleteSweepWork(run.store, work)
    run.report.generationsCleaned++
  }
  return true
}

/**
 * Generations whose partitions cannot be listed are found by scanning the messages table for their key prefix,
 * whatever layout lies under it. One resumable pass serves up to 25 generations, chosen at its start among those
 * past the grace period, so when the pass ends it has seen every item they will ever have.
 */
async function scanGenerations(run: Run, works: SweepWork[], budget: SweepBudget): Promise<boolean> {
  const now = run.deps.clock.now()
  const ready = works.filter((w) => now - w.at >= sweepGraceMs).slice(0, generationsPerScan)
  const saved = await getPass(run.store, 'scan')
  const state: PassState = saved ?? { generations: ready.map(({ queueId, gen }) => ({ queueId, gen })) }
  const generations = state.generations ?? []
  if (!generations.length) return true
  let after = state.after
  do {
    if (budget.exhausted) {
      await putPass(run.store, 'scan', { ...state, after })
      return false
    }
    const page = await scanGenerationKeys(run.store, generations, scanPageSize, after)
    budget.spend(await deleteItems(run.store, page.keys))
    after = page.lastKey
  } while (after)
  await putPass(run.store, 'scan', null)
  for (const generation of generations) await deleteSweepWork(run.store, generation)
  run.report.generationsCleaned += generations.length
  return true
}

/** A resumable pass over every live queue, a page at a time, saving its position after each page and when it stops. */
async function sweepLiveQueues(run: Run, budget: SweepBudget): Promise<boolean> {
  let after = (await getPass(run.store, 'queues'))?.after
  for (;;) {
    if (budget.exhausted) {
      await putPass(run.store, 'queues', { after })
      return false
    }
    const page = await scanQueues(run.store, queuesPerPage, after)
    for (const { queue, key } of page.queues) {
      if (!(await sweepLiveQueue(run, queue, budget))) {
        await putPass(run.store, 'queues', { after })
        return false
      }
      after = key
      run.report.queuesSwept++
    }
    if (!page.lastKey) {
      await putPass(run.store, 'queues', null)
      return true
    }
    after = page.lastKey
    await putPass(run.store, 'queues', { after })
  }
}

/**
 * Deletes messages past a standard queue's retention from the front of each shard (keys are send-time ordered, so
 * this is a key range, and a shard with nothing expired costs one 0.5 RRU query). Receives already skip them;
 * deleting them keeps receives from paging through them while TTL (days late on AWS) catches up. FIFO partitions
 * are ordered by sequence, not send time: a receive passing an expired message finishes it, and TTL removes it.
 */
async function sweepLiveQueue(run: Run, queue: Queue, budget: SweepBudget): Promise<boolean> {
  const sentBefore = run.deps.clock.now() - queueSettings(queue).messageRetentionPeriod * 1000
  for (let shard = 0; !queue.fifo && shard < queue.shards; shard++) {
    if (!(await clearPartition(run, shardPartition(queue.id, queue.gen, shard), budget, sentBefore))) return false
  }
  return true
}
