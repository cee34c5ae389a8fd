/** @module time — the client's only reads of the wall clock, and a sleep that an AbortSignal cuts short. */

/** Milliseconds since the epoch; the one place the client reads the clock. */
export const now = (): number => Date.now()

/** Waits `ms`, or less if `signal` aborts first; never rejects, so callers check the signal themselves. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}
