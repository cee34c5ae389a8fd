/**
 * @module engine/standard/shard-reads — what this instance's receives last saw of each shard's `ready` index
 * (storage/ready-index.ts), so that the next receives here read less:
 * - hidden region: whether the fresh region had a backlog (a full page), and when the hidden region (messages whose
 *   visibility timeout or delay ran out) was last read. While a shard has a backlog, its hidden region is read at most
 *   once a second: a message whose visibility ran out is then taken at most a second late, still before the backlog
 *   behind it, and each receive is spared one query per shard. A receive that finds the fresh region short reads the
 *   hidden one whatever this says.
 * - fresh region: the last page read, for a moment. A receive reads up to 25 entries per shard (100 on a busy queue)
 *   and claims 10; the receives here that follow within `pageMs` claim from the rest of that page instead of reading
 *   it again, while it still holds a whole batch (one query per ten receives instead of one each under the
 *   benchmark's load; a lone consumer's receive of 10 from a backlog is one claim request instead of four queries
 *   and a claim). Nothing older than the page's entries can have arrived since; what another instance claimed
 *   meanwhile fails its claim's condition; a lost claim drops the queue's pages and stops them for a few seconds.
 * Hints only: a claim's condition decides, and a receive that finds nothing here reads the index. The pages of all
 * queues together hold at most `heldLimit` entries.
 */
import type { IndexedCandidate } from '../../storage/message-store.js'
import type { EngineDeps } from '../deps.js'

/** How often the hidden region of a shard with a backlog of fresh messages is read. */
const recheckMs = 1_000
/**
 * How long a fresh page serves receives here. Shorter than the claim hint's hold (standard/claim-hint.ts), so that
 * what a receive here claimed from it is not offered again (unless its visibility timeout is shorter still: its claim
 * then fails, the index entry having moved); short, so that a page another instance is working through costs few
 * lost claims before one drops it.
 */
const pageMs = 1_000
/**
 * How long this instance reads the index for every receive of a queue after a claim of it was lost: another instance
 * receives from it too, and under that contention a page is mostly claimed elsewhere within its second, so that each
 * use of one would cost a batch of failed claims (billed on AWS) to save one query.
 */
const pagesPausedMs = 5_000
/** Queues remembered at most: past this, the least recently read are forgotten (and simply read again). */
const queuesLimit = 10_000
/**
 * Index entries all pages of an instance hold at most (~150 B each, 6 MB): past this, the pages of the queues read
 * least recently go. Without a bound, receives from many queues (a tenant can make thousands) would each leave up to
 * 100 entries per shard behind.
 */
const heldLimit = 40_000

export interface ShardReads {
  /** When the hidden region was last read. */
  hiddenAt: number
  /** The last read of the fresh region filled its page. */
  backlog: boolean
}

/** What receives here saw of one queue: each shard's reads, and from when pages may serve again after a lost claim. */
export interface QueueReads {
  shards: Array<ShardReads | undefined>
  pagesFrom: number
}

/** The candidates of a shard's last fresh read not yet handed to a receive here, and when it was made. */
interface FreshPage {
  at: number
  candidates: IndexedCandidate[]
}

/** The fresh pages this instance holds, by queue, least recently stored first, `heldLimit` entries at most in all. */
export class FreshPages {
  private readonly byQueue = new Map<string, { shards: Array<FreshPage | undefined>; entries: number }>()
  private entries = 0

  /** Index entries held, all pages together. */
  get held() {
    return this.entries
  }

  get(queueId: string, shard: number): FreshPage | undefined {
    return this.byQueue.get(queueId)?.shards[shard]
  }

  /** `shard`'s page is now `page`: the queue's pages become the most recent, and the oldest go past the limit. */
  set(queueId: string, shard: number, page: FreshPage) {
    const pages = this.byQueue.get(queueId) ?? { shards: [], entries: 0 }
    this.count(pages, page.candidates.length - (pages.shards[shard]?.candidates.length ?? 0))
    pages.shards[shard] = page
    this.byQueue.delete(queueId)
    this.byQueue.set(queueId, pages)
    for (const [oldest] of this.byQueue) {
      if (this.entries <= heldLimit) break
      this.drop(oldest)
    }
  }

  /** `shard`'s page keeps only `candidates` (some of its own). */
  keep(queueId: string, shard: number, candidates: IndexedCandidate[]) {
    const pages = this.byQueue.get(queueId)
    const page = pages?.shards[shard]
    if (!pages || !page) return
    this.count(pages, candidates.length - page.candidates.length)
    page.candidates = candidates
  }

  drop(queueId: string) {
    const pages = this.byQueue.get(queueId)
    if (pages) this.count(pages, -pages.entries)
    this.byQueue.delete(queueId)
  }

  private count(pages: { entries: number }, change: number) {
    pages.entries += change
    this.entries += change
  }
}

export interface QueueShardReads {
  /** The hidden region of `shard` is to be read with its fresh region. */
  hiddenDue(shard: number): boolean
  /** Whether the last read of `shard`'s fresh region filled its page. */
  backlog(shard: number): boolean
  /**
   * The candidates of `shard`'s last fresh page still `free` (the page forgets the others), or undefined when no
   * page was read within `pageMs`, fewer than `needed` in it are free (a read then costs what a second claim would),
   * or a claim of the queue was lost within `pagesPausedMs`.
   */
  page(shard: number, needed: number, free: (candidate: IndexedCandidate) => boolean): IndexedCandidate[] | undefined
  /** What a receive read of `shard` now: its hidden region or not, its fresh page if it read one, and its backlog. */
  read(shard: number, seen: { hidden: boolean; backlog: boolean; fresh?: IndexedCandidate[] }): void
  /** A claim was lost to another receive: the queue's pages are likely some other instance's work too, for a while. */
  lost(): void
}

/** The reads of one queue's shards on this instance. */
export function shardReads(deps: Pick<EngineDeps, 'state' | 'clock'>, queueId: string): QueueShardReads {
  const byQueue = deps.state.shardReads
  const pages = deps.state.freshPages
  const last = (shard: number) => byQueue.get(queueId)?.shards[shard]
  const queueReads = () => byQueue.get(queueId) ?? { shards: [], pagesFrom: Number.NEGATIVE_INFINITY }
  return {
    hiddenDue: (shard) => {
      const seen = last(shard)
      return !seen?.backlog || deps.clock.now() - seen.hiddenAt >= recheckMs
    },
    backlog: (shard) => last(shard)?.backlog ?? false,
    page: (shard, needed, free) => {
      const page = pages.get(queueId, shard)
      const now = deps.clock.now()
      if (!page || now - page.at >= pageMs || now < queueReads().pagesFrom) return undefined
      const candidates = page.candidates.filter(free)
      pages.keep(queueId, shard, candidates)
      return candidates.length >= needed ? [...candidates] : undefined
    },
    read: (shard, seen) => {
      const reads = queueReads()
      const before = reads.shards[shard]
      reads.shards[shard] = {
        hiddenAt: seen.hidden ? deps.clock.now() : (before?.hiddenAt ?? Number.NEGATIVE_INFINITY),
        backlog: seen.backlog,
      }
      if (seen.fresh) pages.set(queueId, shard, { at: deps.clock.now(), candidates: seen.fresh })
      byQueue.delete(queueId)
      byQueue.set(queueId, reads)
      if (byQueue.size > queuesLimit) byQueue.delete(byQueue.keys().next().value!)
    },
    lost: () => {
      pages.drop(queueId)
      const reads = queueReads()
      reads.pagesFrom = deps.clock.now() + pagesPausedMs
      byQueue.set(queueId, reads)
    },
  }
}

/**
 * A message of the queue was made visible here (ChangeMessageVisibility to 0): the next receive reads every hidden
 * region, and no page lists it at the place it left.
 */
export function shardReadsChanged(deps: Pick<EngineDeps, 'state'>, queueId: string) {
  deps.state.shardReads.delete(queueId)
  deps.state.freshPages.drop(queueId)
}
