/**
 * @module storage/keys — every key and key prefix in DQS's tables: the only place they are built. The attributes
 * of each item are described next to the code that writes it (docs/reference/dynamo-model.md §4.1 lists where).
 */
import { randomText } from '../ids.js'

/** An item's key as one string, to find items again in maps and sets (no key part holds a `|`). */
export const itemKeyText = (key: { pk: string; sk: string }) => `${key.pk}|${key.sk}`

export const queueKey = (accountId: string, name: string) => ({ pk: `acct#${accountId}`, sk: `q#${name}` })
export const queuePrefix = (accountId: string, namePrefix: string) => ({ pk: `acct#${accountId}`, skPrefix: `q#${namePrefix}` })
export const tombstoneKey = (accountId: string, name: string) => ({ pk: `acct#${accountId}`, sk: `deleted#${name}` })
/** Running approximate counts of one message generation of a queue (standard or FIFO), kept from the messages table's stream. */
export const countsKey = (queueId: string, gen: number) => ({ pk: `counts#${queueId}#${gen}`, sk: '#' })
/** Message move tasks of one source queue, newest last (the sort key starts with the 13-digit start time). */
export const moveTaskKey = (sourceQueueId: string, startedAt: number, taskId: string) =>
  ({ pk: `movetask#${sourceQueueId}`, sk: `${sentBeforeBound(startedAt)}#${taskId}` })
export const moveTaskPartition = (sourceQueueId: string) => `movetask#${sourceQueueId}`
/** The one active (RUNNING or CANCELLING) task of a source queue: one partition lists every active task. */
export const activeMoveTaskKey = (sourceQueueId: string) => ({ pk: 'movetasks-active', sk: sourceQueueId })
export const activeMoveTaskPartition = 'movetasks-active'
/** The lease (and per-shard checkpoints) of the one local process that follows a messages table's stream. */
export const streamLeaseKey = (messagesTable: string) => ({ pk: 'stream-lease', sk: messagesTable })

/** Partition of one shard of a standard queue's messages in one purge generation. */
export const shardPartition = (queueId: string, gen: number, shard: number) => `${queueId}#${gen}#${shard}`
/** The queue and generation of a standard queue's shard partition, or null for any other partition. */
export function parseShardPartition(pk: string): { queueId: string; gen: number; shard: number } | null {
  const match = /^([A-Za-z0-9_-]+)#(\d+)#(\d+)$/.exec(pk)
  return match ? { queueId: match[1]!, gen: Number(match[2]), shard: Number(match[3]) } : null
}

/** 13-digit send time in ms, then randomness so keys sent in the same ms on many instances never collide. */
export const messageSortKey = (now: number) => `${sentBeforeBound(now)}${randomText(6)}`

// FIFO queues: one partition per message group, holding the group item (storage/fifo-group-item.ts) and the group's
// immutable message items in sequence order; dedup and receive-attempt records (storage/fifo-send-store.ts) stand alone.

/** Partition of one message group: its group item (`fifoGroupSortKey`) and its messages. The group id comes last, so any characters are safe. */
export const fifoGroupPartition = (queueId: string, gen: number, groupId: string) => `${queueId}#${gen}#g#${groupId}`
/** The queue and generation of a FIFO group's partition, or null for any other partition. */
export function parseFifoGroupPartition(pk: string): { queueId: string; gen: number } | null {
  const match = /^([A-Za-z0-9_-]+)#(\d+)#g#/.exec(pk)
  return match ? { queueId: match[1]!, gen: Number(match[2]) } : null
}
/** The group item sorts before every message item of its partition ('#' < 'm'). */
export const fifoGroupSortKey = '#'
/** Sequence numbers have a fixed width (20 digits), so key order is sequence order. */
export const fifoMessageSortKey = (sequenceNumber: string) => `m#${sequenceNumber}`
/** First sort key after a message and its chunk items (`m#<seq>#c<i>`): '$' sorts after '#' and before any digit. */
export const fifoAfterMessage = (sk: string) => `${sk}$`
export const isFifoMessageSortKey = (sk: string) => sk.startsWith('m#') && !sk.includes('#', 2)

/**
 * Partition key (`rq`) of the sparse `ready` index for a group: the queue's groups are spread over `shards`
 * index partitions by a hash of the group id, so lock and unlock writes of many groups do not share one partition.
 */
export function fifoReadyPartition(queueId: string, gen: number, groupId: string, shards: number) {
  let hash = 2166136261 // FNV-1a: stable across processes and releases
  for (let i = 0; i < groupId.length; i++) hash = Math.imul(hash ^ groupId.charCodeAt(i), 16777619)
  return fifoReadyShard(queueId, gen, (hash >>> 0) % shards)
}
export const fifoReadyShard = (queueId: string, gen: number, shard: number) => `${queueId}#${gen}#r${shard}`

/**
 * Dedup record of one deduplication id. With DeduplicationScope=messageGroup the group id is part of the key,
 * length-prefixed so that ids containing '#' cannot collide; the generation makes a purge clear the window.
 */
export function fifoDedupKey(queueId: string, gen: number, groupId: string | null, dedupId: string) {
  const scope = groupId === null ? 'q' : `g${groupId.length}:${groupId}`
  return { pk: `d#${queueId}#${gen}#${scope}#${dedupId}`, sk: 'd' }
}

/** Record of one ReceiveRequestAttemptId: the messages and receipt handles that receive returned. */
export const fifoReceiveAttemptKey = (queueId: string, gen: number, attemptId: string) => ({ pk: `ra#${queueId}#${gen}#${attemptId}`, sk: 'a' })

/** Every partition of one message generation starts with this; the sweeper deletes whole generations by it. */
export const generationPrefix = (queueId: string, gen: number) => `${queueId}#${gen}#`

/**
 * Message sort keys start with the 13-digit send time (`messageSortKey`), chunk keys with their
 * message's key: every item of a shard whose key sorts below this bound was sent before `ms`.
 */
export const sentBeforeBound = (ms: number) => String(Math.max(0, ms)).padStart(13, '0')

/** Queue items are the `q#` items of `acct#<account>` partitions; the account is read back from the key. */
export const queueItemPrefix = 'q#'
export const accountOfQueueKey = (pk: string) => pk.slice('acct#'.length)

/** The sweeper's partition in the queues table: one work item per dead generation (purged, or its queue deleted). */
export const sweepWorkKey = (queueId: string, gen: number) => ({ pk: 'sweep', sk: `sweep#${queueId}#${gen}` })
export const sweepWorkPrefix = { pk: 'sweep', skPrefix: 'sweep#' }
/** Progress of the sweeper's resumable passes: over live queues, and the table scan for generations it cannot list. */
export const sweepPassKey = (pass: 'queues' | 'scan') => ({ pk: 'sweep', sk: `pass#${pass}` })
/** The sequence number in a FIFO message's sort key, or null for any other key. */
export const fifoSequenceOf = (sk: string) => (isFifoMessageSortKey(sk) ? sk.slice(2) : null)
