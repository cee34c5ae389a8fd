/**
 * @module storage/message-stream-tail — reads the messages table's stream from its newest records while asked to,
 * so that a process learns within a poll interval of the changes other processes make (it wakes its waiting long
 * polls). No lease and no checkpoint: any number of local processes may tail. A record missed or read twice costs a
 * receive try at most: after a pause or a failure, `onResume` asks for a look at everything.
 * GetRecords calls are DynamoDB Streams reads, not table reads (no RRU); deployed, API functions do not tail.
 */
import {
  ExpiredIteratorException, GetShardIteratorCommand, TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams'
import type { Db } from './dynamo.js'
import { unreadInStream } from './message-item.js'
import { receivableChange } from './receivable-change.js'
import { getRecords, listStreamShards, messagesStreamArn, pauseUnlessStopped, streamsClient } from './stream-shards.js'
import type { TableNames } from './tables.js'

export interface TailOptions {
  endpoint?: string
  region: string
  db: Db
  tables: TableNames
  /** Read only while this holds (long polls wait here); otherwise stop and let iterators go. */
  active: () => boolean
  /** Each change read that makes something receivable (`receivableChange`), in order per shard. */
  onReceivable: (change: { queueId: string; at: number; shard?: number }) => void
  /** Reading (re)started: records from before were not seen. */
  onResume: () => void
  /** Wait between rounds that found nothing (default 100 ms): the cross-instance wake-up's main term. */
  pollMs?: number
  onError?: (error: unknown) => void
}

export interface StreamTail {
  close(): Promise<void>
}

/** New shards (DynamoDB rolls them about every four hours) are found within this long. */
const relistMs = 5_000

export function tailMessageStream(options: TailOptions): StreamTail {
  const streams = streamsClient(options.endpoint, options.region)
  const stop = new AbortController()
  /** Open shards being read: shard id → iterator. Empty while inactive. */
  const iterators = new Map<string, string>()
  let streamArn: string | undefined
  let listedAt = 0

  const pause = (ms: number) => pauseUnlessStopped(ms, stop.signal)

  const iterator = async (shardId: string, type: 'LATEST' | 'TRIM_HORIZON') => {
    const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type }))
    if (ShardIterator) iterators.set(shardId, ShardIterator)
  }

  /** Starting: every open shard from now on. Later: shards that opened since, from their start. */
  const list = async () => {
    const resuming = iterators.size === 0
    streamArn ??= await messagesStreamArn(options.db, options.tables)
    const open = (await listStreamShards(streams, streamArn)).filter((shard) => shard.open && !iterators.has(shard.id))
    await Promise.all(open.map((shard) => iterator(shard.id, resuming ? 'LATEST' : 'TRIM_HORIZON')))
    listedAt = Date.now()
    if (resuming) options.onResume()
  }

  const round = async () => {
    if (iterators.size === 0 || Date.now() - listedAt >= relistMs) await list()
    let found = false
    for (const [shardId, current] of iterators) {
      const page = await getRecords(streams, current, 1000, unreadInStream, receivableChange)
      if (page.Records.length) found = true
      for (const change of page.Records) if (change) options.onReceivable(change)
      if (page.NextShardIterator) iterators.set(shardId, page.NextShardIterator)
      else iterators.delete(shardId) // closed and read to its end: its children are listed next time
    }
    return found
  }

  const running = (async () => {
    while (!stop.signal.aborted) {
      if (!options.active()) {
        iterators.clear()
        await pause(options.pollMs ?? 100)
        continue
      }
      try {
        if (!(await round())) await pause(options.pollMs ?? 100)
      } catch (error) {
        iterators.clear()
        // an iterator that expired, or points before what the stream still holds (DynamoDB Local answers so for a
        // LATEST iterator on a shard without records): start again from now after one poll interval, unreported
        const routine = error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException
        // once closing, a failure is the stop's (an embedded DynamoDB Local stops on the same Ctrl-C)
        if (!routine && !stop.signal.aborted) options.onError?.(error)
        await pause(routine ? (options.pollMs ?? 100) : 1_000)
      }
    }
  })()

  return {
    async close() {
      stop.abort()
      await running
      streams.destroy()
    },
  }
}
