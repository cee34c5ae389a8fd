/**
 * @module engine/long-poll — waiting receives. Each poll tries once; if that finds nothing it waits on its queue's
 * watch, one per queue on this instance, which tries again for its waiting polls (the oldest first) when something
 * may have become receivable: a send, release or visibility change here (`notify`), a delay or visibility timeout
 * known to end (`notifyAt`), a change another instance made, seen on the table's stream (`notify` again, from
 * the local server's stream tail), a positive `probe`, or the periodic recheck. However many polls wait, an idle
 * queue costs one probe per `probeMs` and one receive attempt per `recheckMs` on this instance.
 *
 * Sends say which shards they wrote to (those made here, and those another instance made, seen on the stream): a
 * watch woken by them alone tries only those shards' fresh messages (one query for a single send, where a try of a
 * quiet 4-shard queue makes four). Anything else that wakes it (a visibility change, a time, a probe, the recheck)
 * makes it try everywhere.
 */
import type { Clock } from '../clock.js'
import { RequestThrottled } from '../errors.js'

export interface WatchTimings {
  /** How often a watch asks its probe whether anything may be receivable (when the poll gave one). */
  probeMs: number
  /** How often a watch tries a receive with nothing telling it to: the bound on a wake-up that was missed. */
  recheckMs: number
  /** Long polls that may wait at once on this instance, across queues; one more is answered RequestThrottled. */
  maxWaiting: number
}

/**
 * Where the stream tells this process of other processes' changes, nothing needs probing and the recheck is only a
 * safety net (4 empty queries a recheck on a 4-shard queue: 0.1 RRU/s as AWS bills them). Where nothing does
 * (a Lambda instance), the counts item is read every 2.5 s (0.5 RRU each) and the recheck is rarer: ≤ 0.3 RRU/s.
 */
export const watchTimings = {
  tailing: { probeMs: 2_500, recheckMs: 20_000, maxWaiting: 10_000 },
  probing: { probeMs: 2_500, recheckMs: 60_000, maxWaiting: 10_000 },
} satisfies Record<string, WatchTimings>

/** Receives tried at once for the polls of one queue, once a try has found messages (it doubles up to this). */
const maxParallelTries = 8
/** Known wake-up times kept per queue (the earliest); later ones are left to the probe and the recheck. */
const maxScheduled = 1_024
/** Watches kept before those with nobody waiting and nothing still to come are dropped (then twice what is left). */
const firstSweepAt = 1_000
/** Wake-up times are rounded up to this, so many messages hidden until about the same time cost one wake-up. */
const scheduleResolutionMs = 100

/** Where a try may look, when sends alone woke the watch: the shards they wrote to. */
export interface ReceiveHint {
  shards: readonly number[]
}

export interface LongPollRequest<T> {
  queueId: string
  waitMs: number
  signal?: AbortSignal
  /** One receive attempt: what it claimed, or nothing; with a hint, only where the hint says. */
  attempt: (hint?: ReceiveHint) => Promise<T[]>
  /** A cheap look (one read) at whether anything may be receivable now; the watch then tries a receive. */
  probe?: () => Promise<boolean>
  /** When the earliest hidden message becomes receivable, from storage: for times this instance has not heard of. */
  nextDue?: () => Promise<number | undefined>
}

interface Waiter {
  attempt: (hint?: ReceiveHint) => Promise<unknown[]>
  finish: (found: unknown[]) => void
  fail: (error: unknown) => void
  /** Its wait is over (time, its client gone, or the instance stopping): it answers now, or with the try under way. */
  end: () => void
  trying: boolean
  /** Its wait ended (or its client went away) during a try: the try's outcome is its answer. */
  over: boolean
}

interface Watch {
  waiters: Waiter[]
  /** Known times (ms, ascending) at which something here becomes receivable. */
  scheduled: number[]
  /** Something may be receivable now: the watch tries before it sleeps again. */
  pending: boolean
  /**
   * Since the last try: the shards sends wrote to, while nothing else woke the watch; null once something else did
   * (the next try looks everywhere).
   */
  sentTo?: Set<number> | null
  running: boolean
  wake: AbortController
  probe?: () => Promise<boolean>
  nextDue?: () => Promise<number | undefined>
  /** `nextDue` was asked since the last scheduled time or recheck: its answer, if any, is in `scheduled`. */
  dueAsked: boolean
}

export class PollWatchers {
  private readonly watches = new Map<string, Watch>()
  private sweepAt = firstSweepAt
  /** Notifications per queue so far: a poll whose first try was running when one came must not then sleep through it. */
  private readonly notifications = new Map<string, number>()
  private waitingCount = 0
  /** The instance is shutting down (`stopWaiting`): no poll waits any more. */
  private stopped = false

  constructor(private readonly clock: Clock, private readonly timings: WatchTimings) {}

  /** Long polls waiting on this instance now. */
  get waiting() {
    return this.waitingCount
  }

  /**
   * The instance is shutting down: every waiting poll answers at once — with nothing, or with what a try under way
   * for it claims, so no claimed message is left hidden with nobody to answer — and every later poll answers after
   * its first try. A poll's client then polls again, on another instance.
   */
  stopWaiting() {
    this.stopped = true
    for (const watch of this.watches.values()) for (const waiter of [...watch.waiters]) waiter.end()
  }

  /**
   * Something on this queue may be receivable now (sent, released, made visible); `shards` when that is standard
   * messages just sent, into those shards' fresh regions.
   */
  notify(queueId: string, shards?: readonly number[]) {
    this.notifications.set(queueId, (this.notifications.get(queueId) ?? 0) + 1)
    const watch = this.watches.get(queueId)
    if (!watch?.waiters.length) return
    if (!shards) lookEverywhere(watch)
    else if (watch.sentTo !== null) {
      watch.sentTo ??= new Set()
      for (const shard of shards) watch.sentTo.add(shard)
      watch.pending = true
    }
    watch.wake.abort()
  }

  /** Anything may have changed (a stream tail that may have missed records): every waiting poll's watch looks. */
  notifyAll() {
    for (const queueId of this.watches.keys()) this.notify(queueId)
  }

  /** Something on this queue becomes receivable at `at` (a delay or visibility timeout that ends then); `shards` as for `notify`. */
  notifyAt(queueId: string, at: number, shards?: readonly number[]) {
    const now = this.clock.now()
    if (at <= now) return this.notify(queueId, shards)
    const watch = this.watchOf(queueId)
    const time = Math.ceil(at / scheduleResolutionMs) * scheduleResolutionMs
    const { scheduled } = watch
    while (scheduled.length && scheduled[0]! <= now) scheduled.shift()
    let index = scheduled.length
    while (index > 0 && scheduled[index - 1]! > time) index--
    if (scheduled[index - 1] === time || index >= maxScheduled) return
    scheduled.splice(index, 0, time)
    if (scheduled.length > maxScheduled) scheduled.pop()
    if (index === 0) watch.wake.abort() // earlier than the watch was going to wake
  }

  /**
   * Tries once, then waits on the queue's watch until something is found, the wait ends or the signal aborts.
   * A try that has started always finishes: what it claimed is the poll's answer, even if the wait ended meanwhile.
   */
  async longPoll<T>(request: LongPollRequest<T>): Promise<T[]> {
    const { queueId, waitMs, signal } = request
    const deadline = this.clock.now() + waitMs
    const seen = this.notifications.get(queueId) ?? 0
    const found = await request.attempt()
    const left = deadline - this.clock.now()
    if (found.length || left <= 0 || signal?.aborted || this.stopped) return found
    if (this.waitingCount >= this.timings.maxWaiting) throw new RequestThrottled()
    const watch = this.watchOf(queueId)
    if (request.probe) watch.probe = request.probe
    if (request.nextDue) watch.nextDue = request.nextDue
    return new Promise<T[]>((resolve, reject) => {
      const stop = new AbortController()
      const leave = () => {
        stop.abort()
        signal?.removeEventListener('abort', waiter.end)
        watch.waiters.splice(watch.waiters.indexOf(waiter), 1)
        this.waitingCount--
      }
      const waiter: Waiter = {
        attempt: request.attempt,
        trying: false,
        over: false,
        finish: (result) => {
          leave()
          resolve(result as T[])
        },
        fail: (error) => {
          leave()
          reject(error)
        },
        end: () => {
          if (waiter.trying) waiter.over = true
          else if (!stop.signal.aborted) waiter.finish([])
        },
      }
      watch.waiters.push(waiter)
      this.waitingCount++
      signal?.addEventListener('abort', waiter.end, { once: true })
      void this.clock.sleep(left, stop.signal).then(waiter.end)
      // a send here landed while the first try was querying: look again now instead of sleeping
      if ((this.notifications.get(queueId) ?? 0) !== seen) lookEverywhere(watch)
      if (!watch.running) void this.run(queueId, watch)
      else if (watch.pending) watch.wake.abort()
    })
  }

  private watchOf(queueId: string): Watch {
    let watch = this.watches.get(queueId)
    if (!watch) {
      // notifyAt keeps a watch for every queue receiving messages, long-polled or not (deleted ones too)
      if (this.watches.size >= this.sweepAt) this.forgetIdle()
      watch = { waiters: [], scheduled: [], pending: false, running: false, wake: new AbortController(), dueAsked: false }
      this.watches.set(queueId, watch)
    }
    return watch
  }

  private forgetIdle() {
    const now = this.clock.now()
    for (const [queueId, watch] of this.watches) {
      if (!watch.running && !watch.waiters.length && (watch.scheduled.at(-1) ?? 0) <= now) this.watches.delete(queueId)
    }
    this.sweepAt = Math.max(firstSweepAt, 2 * this.watches.size)
  }

  /**
   * Serves the queue's waiting polls until none is left. Never rejects: a try's failure is its poll's answer.
   * Intervals count the time slept, not the clock's reading, so a clock that stands still (a test's) still rechecks.
   */
  private async run(queueId: string, watch: Watch) {
    watch.running = true
    let recheckLeft = this.timings.recheckMs
    let probeLeft = this.timings.probeMs
    while (watch.waiters.length) {
      const now = this.clock.now()
      while (watch.scheduled.length && watch.scheduled[0]! <= now) {
        watch.scheduled.shift()
        lookEverywhere(watch)
        watch.dueAsked = false
      }
      if (watch.pending || recheckLeft <= 0) {
        if (recheckLeft <= 0) {
          watch.dueAsked = false
          lookEverywhere(watch)
        }
        const hint = watch.sentTo ? { shards: [...watch.sentTo] } : undefined
        watch.pending = false
        watch.sentTo = undefined
        recheckLeft = this.timings.recheckMs
        await this.serve(watch, hint)
        continue
      }
      // known times ran out (or never were: a send before this instance heard of it): ask storage for the next
      if (watch.nextDue && !watch.dueAsked && !watch.scheduled.length) {
        watch.dueAsked = true
        const at = await watch.nextDue().catch(() => undefined)
        if (at !== undefined) this.notifyAt(queueId, at)
        continue
      }
      if (watch.probe && probeLeft <= 0) {
        probeLeft = this.timings.probeMs
        if (await watch.probe().catch(() => true)) lookEverywhere(watch)
        continue
      }
      const untilScheduled = watch.scheduled.length ? watch.scheduled[0]! - now : Number.POSITIVE_INFINITY
      const wait = Math.max(1, Math.min(untilScheduled, recheckLeft, watch.probe ? probeLeft : Number.POSITIVE_INFINITY))
      if (watch.wake.signal.aborted) watch.wake = new AbortController()
      await this.clock.sleep(wait, watch.wake.signal)
      const woken = watch.wake.signal.aborted
      const slept = woken ? this.clock.now() - now : wait
      recheckLeft -= slept
      probeLeft -= slept
      if (!woken && wait === untilScheduled) {
        watch.scheduled.shift()
        lookEverywhere(watch)
        watch.dueAsked = false
      }
    }
    watch.running = false
    watch.probe = undefined
    watch.nextDue = undefined
    if (!watch.scheduled.length) this.watches.delete(queueId)
  }

  /** Tries for the oldest waiting poll; while tries find messages, for more polls at once. */
  private async serve(watch: Watch, hint: ReceiveHint | undefined) {
    for (let width = 1; ; width = Math.min(width * 2, maxParallelTries)) {
      const batch = watch.waiters.filter((w) => !w.trying).slice(0, width)
      if (!batch.length) return
      const served = await Promise.all(batch.map(async (waiter) => {
        waiter.trying = true
        try {
          const found = await waiter.attempt(hint)
          waiter.trying = false
          if (found.length || waiter.over) waiter.finish(found)
          return found.length > 0
        } catch (error) {
          waiter.trying = false
          waiter.fail(error)
          return false
        }
      }))
      if (!served.includes(true)) return
    }
  }
}

/** The watch's next try looks everywhere, not only where sends here wrote. */
function lookEverywhere(watch: Watch) {
  watch.pending = true
  watch.sentTo = null
}
