/** @module limiter — runs async work with at most a given number of calls running at once, in call order. */

/** Runs `work` once fewer than `limit` calls started through the same limiter are running. */
export type Limiter = <R>(work: () => Promise<R>) => Promise<R>

/**
 * A limiter of `limit` concurrent calls; waiting calls start in the order they came. Written here rather than
 * taken from p-limit: it is these few lines, and the package keeps no runtime dependency beyond its peers.
 */
export function createLimiter(limit: number): Limiter {
  let running = 0
  const waiting: Array<() => void> = []
  return async (work) => {
    if (running < limit) running++
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await work()
    } finally {
      // hand the place straight to the next caller, so a newcomer cannot overtake it
      const next = waiting.shift()
      if (next) next()
      else running--
    }
  }
}
