/**
 * @module engine/standard/contention — whether a queue is busy on this instance: receives of it running here side by
 * side lately, or a claim lost to a receive elsewhere lately. A quiet queue is read in order (every shard, oldest
 * first); a busy one is read a random shard at a time with shuffled candidates, so concurrent receives take different
 * messages instead of racing for the same oldest ones (SQS's order is best effort, and under contention nobody sees it).
 */
import type { EngineDeps } from '../deps.js'

/** How long a lost claim keeps a queue busy on this instance. */
const busyAfterLossMs = 5_000
/**
 * How long receives running side by side keep a queue busy: consumers in parallel also take turns, and one that
 * begins in a gap between the others' receives is one of many all the same (it would read every shard: measured
 * under 8 consumers, 1.7 queries per receive where 1.3 do). A lone consumer never overlaps itself and stays quiet.
 */
const busyAfterOverlapMs = 1_000

export interface ReceiveTurn {
  /** Receives ran here side by side, or a claim was lost, lately: spread out rather than read in order. */
  busy: boolean
  /** Other receives of the queue running here when this one began. */
  others: number
  /** A claim of this receive was lost to another receive. */
  lost(): void
  done(): void
}

/** Starts a receive on `queueId`; call `done` when it ends. */
export function beginReceive(deps: EngineDeps, queueId: string): ReceiveTurn {
  const byQueue = deps.state.contention
  const state = byQueue.get(queueId) ?? { running: 0, lostAt: Number.NEGATIVE_INFINITY, overlapAt: Number.NEGATIVE_INFINITY }
  byQueue.set(queueId, state)
  const now = deps.clock.now()
  if (state.running > 0) state.overlapAt = now
  const busy = now - state.overlapAt < busyAfterOverlapMs || now - state.lostAt < busyAfterLossMs
  const others = state.running++
  return {
    busy,
    others,
    lost: () => void (state.lostAt = deps.clock.now()),
    done: () => {
      state.running--
      const now = deps.clock.now()
      const quiet = now - state.lostAt >= busyAfterLossMs && now - state.overlapAt >= busyAfterOverlapMs
      if (state.running === 0 && quiet) byQueue.delete(queueId)
    },
  }
}
