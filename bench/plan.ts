/** @module bench/plan — how long and how hard each part of the benchmark runs, quick (≤ 2.5 min) or full (≤ 14 min). */
import type { CostCase } from './scenarios/cost.js'
import type { IdlePollersOptions, InFlightOptions } from './scenarios/in-flight.js'
import type { LoadOptions } from './support/load-loop.js'

export interface Plan {
  mode: 'quick' | 'full'
  /** parts that would start after this are skipped and reported as such */
  budgetMs: number
  /** the same for the idle-poll and in-flight parts, which run last, counted from when they start */
  underLoadBudgetMs: number
  load: LoadOptions
  /** a fresh DynamoDB Local JVM runs several times slower until its JIT has warmed up: run both workloads first, unmeasured */
  jitWarmup: LoadOptions
  /** floor/standard, then standard/floor, …: a steady drift in the machine's load hits both alike */
  rounds: number
  fifo: Pick<LoadOptions, 'warmupMs' | 'windowMs'> & { groups: number[] }
  latencySame: { pairs: number; rounds: number; gapMs: [number, number] }
  /** gaps past the ~2.2 s it takes the cross-instance re-query backoff to reach its 1 s cap: an idle consumer */
  latencyCross: { pairs: number; rounds: number; gapMs: [number, number] }
  cost: { messages: number; cases: CostCase[] }
  idlePollSeconds: number
  /** DynamoDB Local writes ~2 items per message put in flight (the send, the claim): 20,000 take about two minutes here */
  inFlight: InFlightOptions
  idlePollers: IdlePollersOptions
  /**
   * CPU and DynamoDB requests per message as `npm start` runs, follower on and off: a 20 s window 5 s after each
   * server's start, and another 45 s after it, once its JIT has settled
   */
  efficiency: { load: LoadOptions; warmup: LoadOptions; rounds: number; startupRuns: number; followerMessages: number }
}

const load = { producers: 4, consumers: 8 }
const efficiency = { load: { ...load, warmupMs: 5000, windowMs: 20_000, settledAfterMs: 20_000 }, warmup: { ...load, warmupMs: 2000, windowMs: 10_000 }, rounds: 3, startupRuns: 3, followerMessages: 8000 }

export const plans: Record<Plan['mode'], Plan> = {
  quick: {
    mode: 'quick',
    budgetMs: 55_000,
    underLoadBudgetMs: 90_000,
    load: { ...load, warmupMs: 2000, windowMs: 4000 },
    jitWarmup: { ...load, warmupMs: 1000, windowMs: 1000 },
    rounds: 1,
    fifo: { groups: [1, 10, 100], warmupMs: 1000, windowMs: 2500 },
    latencySame: { pairs: 8, rounds: 3, gapMs: [100, 300] },
    latencyCross: { pairs: 8, rounds: 3, gapMs: [2300, 2800] },
    cost: { messages: 100, cases: [{ body: 'incompressible', pattern: 'batched' }, { body: 'compressible', pattern: 'batched' }] },
    idlePollSeconds: 10,
    inFlight: { levels: [0, 1000, 5000], backlog: 500, receives: 50, parallel: 8 },
    idlePollers: { pollers: [1, 50], waitSeconds: 5 },
    efficiency,
  },
  full: {
    mode: 'full',
    budgetMs: 540_000,
    underLoadBudgetMs: 240_000,
    load: { ...load, warmupMs: 3000, windowMs: 12_000 },
    jitWarmup: { ...load, warmupMs: 2000, windowMs: 6000 },
    rounds: 4,
    fifo: { groups: [1, 10, 100], warmupMs: 3000, windowMs: 15_000 },
    latencySame: { pairs: 10, rounds: 20, gapMs: [100, 400] },
    latencyCross: { pairs: 10, rounds: 8, gapMs: [2300, 3300] },
    cost: {
      messages: 500,
      cases: [
        { body: 'incompressible', pattern: 'batched' }, { body: 'compressible', pattern: 'batched' },
        { body: 'incompressible', pattern: 'unbatched' }, { body: 'compressible', pattern: 'unbatched' },
      ],
    },
    idlePollSeconds: 20,
    inFlight: { levels: [0, 1000, 20_000], backlog: 500, receives: 100, parallel: 8 },
    idlePollers: { pollers: [1, 50, 200], waitSeconds: 5 },
    efficiency,
  },
}
