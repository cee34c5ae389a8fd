/** @module bench/support/load-loop — producers and consumers looping for a warm-up and a measured window, counted the same way for every system. */
import { cpuSeconds, ownCpuSeconds } from './cpu.js'
import { sleep } from './stats.js'

export interface Workload {
  /** One producer step (e.g. one batch of 10); returns messages sent. */
  produce(worker: number): Promise<number>
  /** One consumer step (receive + delete); returns messages completed (deleted). */
  consume(worker: number): Promise<number>
}

export interface LoadOptions {
  producers: number
  consumers: number
  /** producers start at once, consumers half-way through the warm-up (so there is a backlog), the window after it */
  warmupMs: number
  windowMs: number
  /** other processes whose CPU time per message to report (name → pid); this process is reported as `clients` */
  processes?: Record<string, number>
  /** running totals (e.g. a server's DynamoDB requests) read at the window's start and end, reported per message */
  counters?: Record<string, () => Promise<number>>
  /**
   * When set, the load goes on this long after the window and a second window as long is measured: `settled`, from
   * a server whose JIT has had time to settle (V8 still spends a third of a fresh server's CPU 5–25 s after its start
   * optimising code, a tenth of it at 45–65 s).
   */
  settledAfterMs?: number
}

/** What one measured window gives. */
export interface WindowFigures {
  /** when the window began and ended, in seconds after the load did */
  fromSeconds: number
  toSeconds: number
  sentPerSecond: number
  /** messages sent, received and deleted per second in the window: the end-to-end figure */
  messagesPerSecond: number
  /** CPU milliseconds per completed message in the window, by process: independent of how busy the machine is */
  cpuMsPerMessage: Record<string, number>
  /** each of `counters`' growth in the window per completed message */
  perMessage: Record<string, number>
}

export interface LoadResult extends WindowFigures {
  /** over the whole run, warm-up included */
  totals: { sent: number; done: number }
  /** the second window, when `settledAfterMs` asked for one */
  settled?: WindowFigures
  errors: number
  firstError?: string
}

/** Runs `steps` calls of `step` with `concurrency` loops. */
export async function repeat(steps: number, concurrency: number, step: (worker: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    while (next++ < steps) await step(worker)
  }))
}

export async function runLoad(workload: Workload, options: LoadOptions): Promise<LoadResult> {
  const began = performance.now()
  const counts = { sent: 0, done: 0, errors: 0 }
  let firstError: string | undefined
  let stopping = false
  const loop = async (worker: number, step: (w: number) => Promise<number>, counter: 'sent' | 'done') => {
    while (!stopping) {
      try {
        // read the total only after the step: `counts[counter] += await …` would add to the value from before it,
        // losing what the other loops added meanwhile
        const done = await step(worker)
        counts[counter] += done
      } catch (error) {
        counts.errors++
        firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error)
        await sleep(50)
      }
    }
  }
  const loops = Array.from({ length: options.producers }, (_, w) => loop(w, (x) => workload.produce(x), 'sent'))
  await sleep(options.warmupMs / 2)
  loops.push(...Array.from({ length: options.consumers }, (_, w) => loop(w, (x) => workload.consume(x), 'done')))
  await sleep(options.warmupMs / 2)
  const cpu = () => ({ clients: ownCpuSeconds(), ...Object.fromEntries(Object.entries(options.processes ?? {}).map(([name, pid]) => [name, cpuSeconds(pid)])) })
  const counters = async () => Object.fromEntries(await Promise.all(Object.entries(options.counters ?? {}).map(async ([name, read]) => [name, await read()] as const)))
  const measureWindow = async (): Promise<WindowFigures> => {
    const start = { ...counts, at: performance.now(), cpu: cpu(), counted: await counters() }
    await sleep(options.windowMs)
    const end = { ...counts, at: performance.now(), cpu: cpu(), counted: await counters() }
    const seconds = (end.at - start.at) / 1000
    const done = end.done - start.done
    return {
      fromSeconds: (start.at - began) / 1000,
      toSeconds: (end.at - began) / 1000,
      sentPerSecond: (end.sent - start.sent) / seconds,
      messagesPerSecond: done / seconds,
      // nothing completed in the window: there is no per-message figure to give
      cpuMsPerMessage: done === 0 ? {} : Object.fromEntries(Object.entries(end.cpu).map(([name, used]) => [name, ((used - start.cpu[name as keyof typeof start.cpu]!) * 1000) / done])),
      perMessage: done === 0 ? {} : Object.fromEntries(Object.entries(end.counted).map(([name, value]) => [name, (value - start.counted[name]!) / done])),
    }
  }
  const first = await measureWindow()
  let settled: WindowFigures | undefined
  if (options.settledAfterMs !== undefined) {
    await sleep(options.settledAfterMs)
    settled = await measureWindow()
  }
  stopping = true
  await Promise.all(loops)
  return {
    ...first,
    totals: { sent: counts.sent, done: counts.done },
    ...(settled && { settled }),
    errors: counts.errors,
    firstError,
  }
}
