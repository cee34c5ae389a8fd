/** @module storage/stream-shards — the messages table's DynamoDB stream: its client, its ARN, its shards, a reader's pause. */
import { DescribeTableCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand, DynamoDBStreamsClient, DynamoDBStreamsServiceException, ExpiredIteratorException, InternalServerError,
  LimitExceededException, ResourceNotFoundException, TrimmedDataAccessException, type DynamoDBStreamsClientConfig,
} from '@aws-sdk/client-dynamodb-streams'
import { binariesInImage } from './attribute-json.js'
import type { Db } from './dynamo.js'
import { JsonProtocol } from './json-protocol.js'
import { localCredentials } from './local-credentials.js'
import { readRecordsPage, unreadRecordFields } from './stream-page.js'
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
    config.credentials = { ...localCredentials } // as createDb: DynamoDB Local takes any
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

/** A stream record as GetRecords' JSON carries it, binary values as bytes, what no reader looks at left out (stream-page.ts). */
export interface StreamRecord {
  eventName?: string
  dynamodb?: {
    SequenceNumber?: string
    NewImage?: Record<string, AttributeValue>
    OldImage?: Record<string, AttributeValue>
  }
}

export interface StreamPage<T = StreamRecord> {
  Records: T[]
  NextShardIterator?: string
}

const streamErrors = {
  base: DynamoDBStreamsServiceException,
  modeled: { ExpiredIteratorException, InternalServerError, LimitExceededException, ResourceNotFoundException, TrimmedDataAccessException },
}
const protocols = new WeakMap<DynamoDBStreamsClient, JsonProtocol>()

/**
 * One GetRecords page, requested directly (storage/json-protocol.ts): the SDK's deserializer walked every attribute
 * value of both images of every record, checking each binary's base64 with a regular expression, and that walk was
 * most of what following the stream cost. Failures (an expired iterator, trimmed data) are the SDK's errors. The
 * page is parsed record by record, the `omit`ted attributes cut out of the images' bytes first (storage/stream-page.ts):
 * a reader of message states has no use for bodies. Each record, its binaries as bytes, is given to `read` as it is
 * parsed, and the page holds what `read` answers; `read` must not throw (a throw is a failed request, retried).
 */
export async function getRecords<T = StreamRecord>(
  streams: DynamoDBStreamsClient, shardIterator: string, limit: number, omit: readonly string[] = [],
  read: (record: StreamRecord) => T = (record) => record as T,
): Promise<StreamPage<T>> {
  let protocol = protocols.get(streams)
  if (!protocol) protocols.set(streams, protocol = new JsonProtocol(streams, 'DynamoDBStreams_20120810', streamErrors))
  const { answer } = await protocol.request('GetRecords', JSON.stringify({ ShardIterator: shardIterator, Limit: limit }), {
    replayable: true, parseAnswer: (bytes) => readRecordsPage(bytes, omit, (record) => read(withBinaries(record)), unreadRecordFields),
  })
  return { Records: answer.Records ?? [], NextShardIterator: answer.NextShardIterator }
}

function withBinaries(record: StreamRecord) {
  const { dynamodb } = record
  if (dynamodb?.NewImage) binariesInImage(dynamodb.NewImage)
  if (dynamodb?.OldImage) binariesInImage(dynamodb.OldImage)
  return record
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
