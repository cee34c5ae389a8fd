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
}

export interface LoadResult {
  sentPerSecond: number
  /** messages sent, received and deleted per second in the window: the end-to-end figure */
  messagesPerSecond: number
  /** over the whole run, warm-up included */
  totals: { sent: number; done: number }
  /** CPU milliseconds per completed message in the window, by process: independent of how busy the machine is */
  cpuMsPerMessage: Record<string, number>
  /** each of `counters`' growth in the window per completed message */
  perMessage: Record<string, number>
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
  const start = { ...counts, at: performance.now(), cpu: cpu(), counted: await counters() }
  await sleep(options.windowMs)
  const end = { ...counts, at: performance.now(), cpu: cpu(), counted: await counters() }
  stopping = true
  await Promise.all(loops)
  const seconds = (end.at - start.at) / 1000
  return {
    sentPerSecond: (end.sent - start.sent) / seconds,
    messagesPerSecond: (end.done - start.done) / seconds,
    totals: { sent: counts.sent, done: counts.done },
    // nothing completed in the window: there is no per-message figure to give
    cpuMsPerMessage: end.done === start.done ? {} : Object.fromEntries(Object.entries(end.cpu).map(([name, seconds]) => [name, ((seconds - start.cpu[name as keyof typeof start.cpu]!) * 1000) / (end.done - start.done)])),
    perMessage: end.done === start.done ? {} : Object.fromEntries(Object.entries(end.counted).map(([name, value]) => [name, (value - start.counted[name]!) / (end.done - start.done)])),
    errors: counts.errors,
    firstError,
  }
}
