/** @module storage/stream-shards — the messages table's DynamoDB stream: its client, its ARN, its shards, a reader's pause. */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand, DynamoDBStreamsClient, type DynamoDBStreamsClientConfig } from '@aws-sdk/client-dynamodb-streams'
import type { Db } from './dynamo.js'
import type { TableNames } from './tables.js'

export interface StreamShard {
  id: string
  parent?: string
  /** Closed shards have an end; records go on in their children. */
  open: boolean
  /** A closed shard's last sequence number. */
  end?: string
}

/** A DynamoDB Streams client for `endpoint` (DynamoDB Local), or AWS when undefined. */
export function streamsClient(endpoint: string | undefined, region: string) {
  const config: DynamoDBStreamsClientConfig = { region }
  if (endpoint) {
    config.endpoint = endpoint
    config.credentials = { accessKeyId: 'dqs', secretAccessKey: 'dqs' } // as createDb: DynamoDB Local takes any
  }
  return new DynamoDBStreamsClient(config)
}

export async function messagesStreamArn(db: Db, tables: TableNames) {
  const { Table } = await db.send(new DescribeTableCommand({ TableName: tables.messages }))
  if (!Table?.LatestStreamArn) throw new Error(`Table ${tables.messages} has no stream; ensureTables enables it.`)
  return Table.LatestStreamArn
}

/** Every shard the stream lists now (DescribeStream, paged). */
export async function listStreamShards(streams: DynamoDBStreamsClient, streamArn: string): Promise<StreamShard[]> {
  const shards: StreamShard[] = []
  let start: string | undefined
  do {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }))
    for (const { ShardId, ParentShardId, SequenceNumberRange } of StreamDescription?.Shards ?? []) {
      const end = SequenceNumberRange?.EndingSequenceNumber
      if (ShardId) shards.push({ id: ShardId, parent: ParentShardId, open: !end, ...(end ? { end } : {}) })
    }
    start = StreamDescription?.LastEvaluatedShardId
  } while (start)
  return shards
}

/** Waits `ms` unless `stop` aborts first. Unlike clock.sleep, unref'd: a stream reader never keeps a process alive. */
export function pauseUnlessStopped(ms: number, stop: AbortSignal) {
  return new Promise<void>((resolve) => {
    if (stop.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      stop.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms).unref()
    stop.addEventListener('abort', done, { once: true })
  })
}
