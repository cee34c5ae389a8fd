/**
 * @module storage/unapplied-changes — the messages-stream records a queue's counts item does not hold yet, so that
 * a local server's GetQueueAttributes reads the writes just made (by it or by any process sharing the tables)
 * instead of trailing them by the follower's poll interval.
 *
 * The follower (storage/message-stream.ts) applies one batch at a time, in order, writes the batch's last record
 * into every counts item it changes, then checkpoints. A reader that reads the checkpoints first and the counts
 * item second knows the item holds every record up to the later of the two positions, and none after it: what
 * the stream holds after that, for this queue, is exactly what is missing. DynamoDB Local writes a stream record
 * with its item, so a write that was answered is found here.
 */
import {
  GetShardIteratorCommand, type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams'
import type { AppliedPosition } from './counts-store.js'
import type { Db } from './dynamo.js'
import { unreadInStream } from './message-item.js'
import { toStreamChange, type StreamChange } from './stream-records.js'
import { readStreamCheckpoints, type Checkpoints } from './stream-lease.js'
import { getRecords, listStreamShards, messagesStreamArn, streamsClient, type StreamRecord, type StreamShard } from './stream-shards.js'
import type { TableNames } from './tables.js'

export interface UnappliedChangesOptions {
  /** DynamoDB Local's endpoint. */
  endpoint?: string
  region: string
  db: Db
  tables: TableNames
  /** Past this many records behind (a follower stopped or far behind), the counts item answers alone. */
  maxRecords?: number
}

/** Shards appear about every four hours; one created since the last listing is seen within this long. */
const relistMs = 5_000

const later = (a: string | undefined, b: string | undefined) => (a === undefined || (b !== undefined && BigInt(b) > BigInt(a)) ? b : a)

export class UnappliedChanges {
  private readonly streams: DynamoDBStreamsClient
  private streamArn?: string
  private shards?: { listed: StreamShard[]; at: number }

  constructor(private readonly options: UnappliedChangesOptions) {
    this.streams = streamsClient(options.endpoint, options.region)
  }

  /** Read before the counts item: whatever the follower checkpointed is in the item read after. */
  checkpoints(): Promise<Checkpoints> {
    return readStreamCheckpoints({ db: this.options.db, tables: this.options.tables })
  }

  /**
   * The changes to items of partitions starting with `partitionPrefix` that come after both the checkpoints and
   * the counts item's `applied` position. Null when they cannot all be read (too many, or the stream failed):
   * the counts item then answers alone, as approximate counts may.
   */
  async since(checkpoints: Checkpoints, applied: AppliedPosition | undefined, partitionPrefix: string): Promise<StreamChange[] | null> {
    try {
      const budget = { records: this.options.maxRecords ?? 20_000 }
      const changes: StreamChange[] = []
      for (const shard of await this.listShards()) {
        const after = later(checkpoints[shard.id], applied?.shard === shard.id ? applied.seq : undefined)
        if (shard.end !== undefined && after !== undefined && BigInt(after) >= BigInt(shard.end)) continue
        const records = await this.readShard(shard.id, after, budget)
        if (!records) return null
        for (const record of records) {
          // the item's key as its image holds it (a page leaves the record's Keys out: stream-page.ts)
          const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage
          if (image?.pk?.S?.startsWith(partitionPrefix)) changes.push(toStreamChange(record))
        }
      }
      return changes
    } catch {
      return null
    }
  }

  close() {
    this.streams.destroy()
  }

  private async listShards() {
    if (!this.shards || Date.now() - this.shards.at >= relistMs) {
      this.streamArn ??= await messagesStreamArn(this.options.db, this.options.tables)
      this.shards = { listed: await listStreamShards(this.streams, this.streamArn), at: Date.now() }
    }
    return this.shards.listed
  }

  /** The shard's records after `after` (from its start without one), to its current end; null past the budget. */
  private async readShard(shardId: string, after: string | undefined, budget: { records: number }): Promise<StreamRecord[] | null> {
    const { ShardIterator } = await this.streams.send(new GetShardIteratorCommand({
      StreamArn: this.streamArn,
      ShardId: shardId,
      ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
    }))
    const records: StreamRecord[] = []
    for (let iterator = ShardIterator; iterator;) {
      const page = await getRecords(this.streams, iterator, 1000, unreadInStream)
      const found = page.Records
      if (found.length === 0) break
      budget.records -= found.length
      if (budget.records < 0) return null
      records.push(...found)
      iterator = page.NextShardIterator
    }
    return records
  }
}
