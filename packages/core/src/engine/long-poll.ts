/** @module engine/long-poll — wakes waiting receives: at once for sends on this instance, by backoff for others. */
import type { Clock } from '../clock.js'

/** Re-query interval for sends on other instances: starts short, grows to a cap (the cross-instance wake-up bound). */
export const pollBackoff = { firstMs: 50, factor: 1.6, maxMs: 1000 }

export class SendNotifier {
  private waiters = new Map<string, Set<() => void>>()
  /** Notifications per queue so far: a poll that was busy querying when one came must not then sleep through it. */
  private notifications = new Map<string, number>()

  notificationsOf(queueId: string) {
    return this.notifications.get(queueId) ?? 0
  }

  /**
   * A message became receivable on this queue (sent, released or made visible). `count` bounds how many waiters
   * wake, oldest first: a FIFO group freed by a delete can feed one receive, and waking every poller would only
   * have them race for its lock.
   */
  notify(queueId: string, count = Number.POSITIVE_INFINITY) {
    this.notifications.set(queueId, this.notificationsOf(queueId) + 1)
    const waiting = this.waiters.get(queueId)
    if (!waiting) return
    for (const wake of waiting) {
      if (count-- <= 0) break
      waiting.delete(wake)
      wake()
    }
    if (waiting.size === 0) this.waiters.delete(queueId)
  }

  /** Resolves on the next notify for the queue, after `ms`, or when `signal` aborts. */
  wait(clock: Clock, queueId: string, ms: number, signal?: AbortSignal): Promise<void> {
    const stop = new AbortController()
    const onAbort = () => stop.abort()
    signal?.addEventListener('abort', onAbort, { once: true })
    const wake = () => stop.abort()
    let set = this.waiters.get(queueId)
    if (!set) this.waiters.set(queueId, (set = new Set()))
    set.add(wake)
    return clock.sleep(ms, stop.signal).finally(() => {
      signal?.removeEventListener('abort', onAbort)
      this.waiters.get(queueId)?.delete(wake)
      if (this.waiters.get(queueId)?.size === 0) this.waiters.delete(queueId)
    })
  }
}

/**
 * Runs `attempt` until it returns something, the wait ends or the signal aborts, sleeping between attempts
 * until a local send or the backoff interval.
 */
export async function longPoll<T>(
  options: { clock: Clock; notifier: SendNotifier; queueId: string; waitMs: number; signal?: AbortSignal },
  attempt: () => Promise<T[]>,
): Promise<T[]> {
  const { clock, notifier, queueId, waitMs, signal } = options
  const deadline = clock.now() + waitMs
  let interval = pollBackoff.firstMs
  for (;;) {
    const seen = notifier.notificationsOf(queueId)
    const found = await attempt()
    const left = deadline - clock.now()
    if (found.length || left <= 0 || signal?.aborted) return found
    // a send on this instance landed while we were querying: look again now instead of sleeping
    if (notifier.notificationsOf(queueId) !== seen) continue
    await notifier.wait(clock, queueId, Math.min(interval, left), signal)
    interval = Math.min(interval * pollBackoff.factor, pollBackoff.maxMs)
  }
}
