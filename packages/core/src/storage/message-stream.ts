/**
 * @module storage/message-stream — follows a messages table's DynamoDB stream from a local process (npm start,
 * tests), where no Lambda event-source mapping does it; a lease (storage/stream-lease.ts) lets one process at a time.
 */
import {
  ExpiredIteratorException, GetShardIteratorCommand, TrimmedDataAccessException,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams'
import { systemClock } from '../clock.js'
import type { Db } from './dynamo.js'
import { unreadInStream } from './message-item.js'
import {
  acquireStreamLease, forgetStreamCheckpoints, releaseStreamLease, renewStreamLease, saveStreamCheckpoint, type Checkpoints,
  type LeaseStore,
} from './stream-lease.js'
import { changesOf, readChange, type StreamChange } from './stream-records.js'
import { getRecords, listStreamShards, messagesStreamArn, pauseUnlessStopped, streamsClient, type StreamRecord } from './stream-shards.js'
import type { TableNames } from './tables.js'

export interface StreamFollower {
  /** Stops following: waits for an apply in progress and its checkpoint, then releases the lease. */
  close(): Promise<void>
}

export interface FollowOptions {
  /** DynamoDB endpoint (DynamoDB Local); undefined = AWS. */
  endpoint?: string
  region: string
  /** Document client for the lease item. */
  db: Db
  /** The lease lives in `tables.queues`; the stream followed is `tables.messages`'s. */
  tables: TableNames
  /** Unique id of this follower (process). */
  owner: string
  /**
   * Called with each batch of one shard, in order, and the batch's last record; a batch is checkpointed only once
   * this resolves.
   */
  apply: (changes: StreamChange[], last: { shard: string; seq: string }) => Promise<void>
  /**
   * Wait between GetRecords rounds unless the last one filled a page (default 1,000 ms, as the deployed event-source
   * mapping's batching window): each batch costs one counts update per queue it touches and one checkpoint, so
   * fewer, fuller batches cost less per message. Readers of the counts add what is not applied yet
   * (storage/unapplied-changes.ts), so the wait does not make them stale.
   */
  pollMs?: number
  /** How long a lease lasts unrenewed (default 10 s): a crashed holder is replaced within this plus about a second. */
  leaseMs?: number
  /** Every failure, which is then retried (default: console.error once per distinct message). */
  onError?: (error: unknown) => void
}

/** How often a non-holder tries to take the lease, and how long to wait after a failure before retrying. */
const retryMs = 1_000
/** GetRecords' most records per call. */
const pageLimit = 1000
/** DynamoDB rolls shards (about every four hours); a new shard is found within this long. */
const relistMs = 5_000

/**
 * Follows the stream of `tables.messages` in the background while this process holds the lease, calling `apply`
 * with every change exactly once across processes (at least once if a holder dies between apply and checkpoint).
 * @example
 * const follower = followMessageStream({ endpoint, region, db, tables, owner: randomUUID(), apply: countChanges })
 * await follower.close()
 */
export function followMessageStream(options: FollowOptions): StreamFollower {
  const follower = new Follower(options)
  let closing: Promise<void> | undefined
  return { close: () => (closing ??= follower.close()) }
}

/** A record as a page holds it until applied: its change, or why it has none (reported then, and left out). */
type FollowedRecord = { seq?: string } & ReturnType<typeof readChange>

const followed = (record: StreamRecord): FollowedRecord => ({ seq: record.dynamodb?.SequenceNumber, ...readChange(record) })

interface Shard {
  id: string
  parent?: string
  /** Where the next GetRecords reads; absent until fetched, or after a failure (re-fetched from the checkpoint). */
  iterator?: string
  /** The shard is closed and read to its end. */
  finished: boolean
}

class Follower {
  private readonly streams: DynamoDBStreamsClient
  private readonly store: LeaseStore
  private readonly stop = new AbortController()
  private readonly running: Promise<void>
  /** Wall-clock time until which the lease is certainly ours (measured from before the write); 0 when not held. */
  private heldUntil = 0
  private renewal?: NodeJS.Timeout
  private renewing?: Promise<void>
  private checkpoints: Checkpoints = {}
  private shards = new Map<string, Shard>()
  private listedAt = 0
  private streamArn?: string
  /** Messages already logged by the default onError, so a retried failure is logged once. */
  private readonly seen = new Set<string>()

  constructor(private readonly options: FollowOptions) {
    this.streams = streamsClient(options.endpoint, options.region)
    this.store = { db: options.db, tables: options.tables }
    this.running = this.run()
  }

  private get stopped() { return this.stop.signal.aborted }
  private get leaseMs() { return this.options.leaseMs ?? 10_000 }
  private holding() { return this.heldUntil > systemClock.now() }

  async close() {
    this.stop.abort()
    await this.running
    this.dropLease()
    await this.renewing // a renewal landing after the release would hold the lease for nothing
    // unreported, as every failure once closing (`report`): an unreleased lease lapses within `leaseMs`
    await releaseStreamLease(this.store, this.options.owner).catch(() => undefined)
    this.streams.destroy()
  }

  /** Never rejects: a rejection here would be unhandled and crash the server, so every failure is reported and retried. */
  private async run() {
    while (!this.stopped) {
      try {
        if (!this.holding() && !(await this.acquire())) await this.pause(retryMs)
        else if (!(await this.round())) await this.pause(this.options.pollMs ?? 1_000)
      } catch (error) {
        this.report(error)
        await this.pause(retryMs)
      }
    }
  }

  private async acquire() {
    this.dropLease()
    const now = systemClock.now()
    const checkpoints = await acquireStreamLease(this.store, this.options.owner, now, this.leaseMs)
    if (!checkpoints) return false
    // another holder may have moved on since we last held it: start over from the stored checkpoints
    this.heldUntil = now + this.leaseMs
    this.checkpoints = checkpoints
    this.shards.clear()
    this.listedAt = 0
    this.streamArn = undefined
    // on a timer, not in the loop: an apply may take longer than the lease
    this.renewal = setInterval(() => this.renew(), this.leaseMs / 3).unref()
    return true
  }

  private renew() {
    if (this.renewing) return
    const now = systemClock.now()
    this.renewing = renewStreamLease(this.store, this.options.owner, now, this.leaseMs)
      .then((ours) => {
        if (!ours) this.dropLease()
        else if (this.renewal) this.heldUntil = now + this.leaseMs
      }, (error) => this.report(error))
      .finally(() => { this.renewing = undefined })
  }

  private dropLease() {
    clearInterval(this.renewal)
    this.renewal = undefined
    this.heldUntil = 0
  }

  /** Reads each readable shard once; true when one returned a full page (so the next round follows without a pause). */
  private async round() {
    if (systemClock.now() - this.listedAt >= relistMs) await this.listShards()
    let behind = false
    for (const shard of this.readable()) {
      if (this.stopped || !this.holding()) break
      if (await this.readShard(shard)) behind = true
    }
    return behind
  }

  private async listShards() {
    this.streamArn ??= await messagesStreamArn(this.options.db, this.options.tables)
    const listed = new Map<string, Shard>()
    for (const { id, parent } of await listStreamShards(this.streams, this.streamArn)) {
      listed.set(id, this.shards.get(id) ?? { id, parent, finished: false })
    }
    this.shards = listed
    this.listedAt = systemClock.now()
    const trimmed = Object.keys(this.checkpoints).filter((id) => !listed.has(id))
    if (trimmed.length && await forgetStreamCheckpoints(this.store, this.options.owner, trimmed)) {
      for (const id of trimmed) delete this.checkpoints[id]
    }
  }

  /** Unfinished shards whose parent is finished or gone (trimmed): a child's records come after all of its parent's. */
  private readable() {
    return [...this.shards.values()].filter((shard) => {
      const parent = shard.parent === undefined ? undefined : this.shards.get(shard.parent)
      return !shard.finished && (!parent || parent.finished)
    })
  }

  /** One GetRecords on the shard, applied and checkpointed; true when there is more to read at once. */
  private async readShard(shard: Shard) {
    shard.iterator ??= await this.iterator(shard)
    let page
    try {
      page = await getRecords(this.streams, shard.iterator, pageLimit, unreadInStream, followed)
    } catch (error) {
      if (error instanceof ExpiredIteratorException) shard.iterator = await this.iterator(shard)
      else if (error instanceof TrimmedDataAccessException) shard.iterator = await this.iterator(shard, 'TRIM_HORIZON')
      else throw error
      return true
    }
    const records = page.Records
    if (records.length > 0 && !(await this.applyBatch(shard, records))) {
      shard.iterator = undefined
      return false
    }
    if (page.NextShardIterator) shard.iterator = page.NextShardIterator
    else shard.finished = true
    // a closed shard read to its end: its children are readable now
    return records.length >= pageLimit || shard.finished
  }

  private async iterator(shard: Shard, from?: 'TRIM_HORIZON'): Promise<string> {
    const after = from ? undefined : this.checkpoints[shard.id]
    try {
      const { ShardIterator } = await this.streams.send(new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shard.id,
        ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }))
      if (!ShardIterator) throw new Error(`No shard iterator for ${shard.id}`)
      return ShardIterator
    } catch (error) {
      // the checkpoint is older than the stream's 24 hours: everything after it that is left starts at the horizon
      if (after && error instanceof TrimmedDataAccessException) return this.iterator(shard, 'TRIM_HORIZON')
      throw error
    }
  }

  /** Applies one batch, then checkpoints its last record; false when the batch must be read again from the checkpoint. */
  private async applyBatch(shard: Shard, records: FollowedRecord[]) {
    if (!this.holding()) return false // lapsed during the read: another process may be applying these already
    const last = records.at(-1)?.seq
    if (!last) throw new Error(`Stream record without a sequence number on ${shard.id}`)
    try {
      await this.options.apply(changesOf(records, (error) => this.report(error)), { shard: shard.id, seq: last })
    } catch (error) {
      this.report(error)
      await this.pause(retryMs)
      return false
    }
    return this.checkpoint(shard, last)
  }

  /** Retries a failed write while the lease is ours: giving up would make the next holder apply the batch again. */
  private async checkpoint(shard: Shard, sequenceNumber: string) {
    for (;;) {
      try {
        if (await saveStreamCheckpoint(this.store, this.options.owner, shard.id, sequenceNumber)) {
          this.checkpoints[shard.id] = sequenceNumber
          return true
        }
        this.dropLease() // another process holds the lease now and resumes from our last checkpoint
        return false
      } catch (error) {
        this.report(error)
        if (this.stopped || !this.holding()) return false
        await this.pause(retryMs)
      }
    }
  }

  private pause(ms: number) {
    return pauseUnlessStopped(ms, this.stop.signal)
  }

  private report(error: unknown) {
    // once closing, a failure is the stop's (an embedded DynamoDB Local stops on the same Ctrl-C)
    if (this.stopped) return
    try {
      if (this.options.onError) return this.options.onError(error)
      const message = error instanceof Error ? error.message : String(error)
      if (this.seen.has(message)) return
      if (this.seen.size >= 100) this.seen.clear() // messages that vary (ids in them) must not grow it for ever
      this.seen.add(message)
      console.error('DQS: following the messages stream:', error)
    } catch {
      // a throwing onError must not end the loop it reports for
    }
  }
}
