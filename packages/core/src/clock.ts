/** @module clock — the only source of time in DQS, injected so tests can move it. */

/** Milliseconds since the epoch, and a sleep that a signal can cut short. */
export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve()
      const timer = setTimeout(done, ms)
      signal?.addEventListener('abort', done, { once: true })
      function done() {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
    }),
}

/** A clock that only moves when told to; sleeps still wait in real time (long polls) unless advanced past. */
export class ManualClock implements Clock {
  private current: number
  private sleepers = new Set<{ until: number; wake: () => void }>()

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start
  }

  now() {
    return this.current
  }

  advance(ms: number) {
    this.current += ms
    for (const sleeper of [...this.sleepers]) if (sleeper.until <= this.current) sleeper.wake()
  }

  sleep(ms: number, signal?: AbortSignal) {
    return new Promise<void>((resolve) => {
      const sleeper = { until: this.current + ms, wake: () => done() }
      const timer = setTimeout(done, ms)
      this.sleepers.add(sleeper)
      signal?.addEventListener('abort', done, { once: true })
      const self = this
      function done() {
        clearTimeout(timer)
        self.sleepers.delete(sleeper)
        resolve()
      }
    })
  }
}
