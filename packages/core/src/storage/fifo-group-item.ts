/** @module storage/fifo-group-item — a FIFO message group's item ⇄ its state, and the one update that changes it. */
import { fifoGroupSortKey } from './keys.js'

/** A received, unfinished message of a group, as its group item records it. */
export interface ReceivedInGroup {
  receiveCount: number
  firstReceivedAt: number
  /** Claim token of its latest receive: that receive's receipt handles are the valid ones. */
  token: string
  /**
   * When it is visible again (ms). Visibility is per message, as on SQS: the group delivers from its head up to
   * its first message still invisible.
   */
  visibleAt: number
}

/**
 * A group item decoded (its stored attributes: `GroupItem` below). Sequence numbers are fixed-width decimal
 * strings, so string order is sequence order. A message is finished (deleted, expired or dead-lettered) exactly
 * when its sequence is ≤ `receivedThrough` and it is not in `received`: receives always take a group's messages
 * from its head, so every message up to `receivedThrough` has been received, and those not finished are the ones
 * `received` lists (at most 10).
 */
export interface GroupState {
  pk: string
  /** Bumped by every receive, delete, visibility change and dead-letter move (not by sends). */
  version: number
  /** Sequence number of the last message sent into the group. */
  lastSequence?: string
  /** Highest sequence number ever received (or passed over as expired). */
  receivedThrough?: string
  /** Received, unfinished messages by sequence number. */
  received: Record<string, ReceivedInGroup>
  /** Sort key of the `ready` index: when the group can next be received; absent when it has no messages. */
  readyAt?: number
  /** Unfinished messages (for approximate counts). */
  liveCount: number
  /** TTL (s) of the group's longest-lived message: the item outlives every message it orders. */
  ttl: number
}

/** A transition of a group's receive state, written with one conditional update. `undefined` keeps a field. */
export interface GroupChange {
  received: GroupState['received']
  receivedThrough?: string
  /** A new ready time, or null: the group is empty and leaves the index. */
  readyAt?: number | null
  countDelta: number
}

/**
 * FIFO group item (messages table): one per message group that has ever had a message, first in its partition.
 *
 * | attribute | type | meaning | written by |
 * |---|---|---|---|
 * | pk | S | `<queueId>#<gen>#g#<groupId>` (keys.ts `fifoGroupPartition`) | `groupAppend` |
 * | sk | S | `#`: sorts before the group's message items (`fifoGroupSortKey`) | `groupAppend` |
 * | tail | S | sequence number (20 digits) of the last message sent into the group; senders condition on it | `groupAppend` |
 * | bEnd | S | highest sequence number ever received, or passed over as expired | `groupUpdate` |
 * | rx | M (S → M {c: N, f: N, t: S}) | received, unfinished messages by sequence number: receive count, first-receive time (ms), claim token of the latest receive | `groupUpdate` |
 * | bat | M (S → N) | when each message in `rx` is visible again (ms); removed when empty | `groupUpdate` |
 * | ver | N | version: every change but a send conditions on it and adds 1 | `groupAppend` (0 when absent), `groupUpdate` |
 * | rq | S | `ready` index partition: `<queueId>#<gen>#r<FNV-1a(groupId) % shards>` (keys.ts `fifoReadyPartition`) | `groupAppend` |
 * | ready | N | `ready` index sort key: when the group's head can next be received (ms); absent when the group is empty | `groupAppend` (only when absent), `groupUpdate` |
 * | n | N | unfinished messages, for the counts | `groupAppend` (ADD), `groupUpdate` (ADD; 0 when empty) |
 * | tv | N | visible-at time of a send's messages, in items written before it was dropped (nothing reads it) | — |
 * | ttl | N | epoch seconds: the latest `ttl` of its messages, so it outlives every message it orders | `groupAppend` |
 * | lock, until | S, N | items written before per-message tokens: one claim token for a whole batch, and its end; `lock` is read as each `rx` entry's token | removed by the next `groupUpdate` that sets `bat` |
 *
 * `groupAppend` runs inside the send transaction (`sendFifoMessages`) and a dead-letter move's (`moveFifoMessage`,
 * for the target group). `groupUpdate` is ReceiveMessage's write (engine/fifo/receive.ts), DeleteMessage's and
 * ChangeMessageVisibility's (engine/fifo/group-writes.ts), the console's delete (engine/peek.ts), all through
 * `writeGroup`, and the source side of a dead-letter move. Cost: `writeGroup` 1 WRU (+ 2 index WRU when `ready`
 * moves), billed on failure too; in a transaction twice that. The size grows with `rx` and `bat` (one entry per
 * message in flight). Reads: `getGroup` 1 RRU (consistent).
 */
interface GroupItem {
  pk: string
  sk: string
  ver?: number
  tail?: string
  bEnd?: string
  rx?: Record<string, { c: number; f: number; t?: string }>
  /** Claim token of a whole batch, as items written before per-message tokens hold it. */
  lock?: string
  bat?: Record<string, number>
  ready?: number
  n?: number
  ttl?: number
}

export function decodeGroup(raw: Record<string, unknown>): GroupState {
  const item = raw as unknown as GroupItem
  const received: GroupState['received'] = {}
  for (const [seq, entry] of Object.entries(item.rx ?? {})) {
    // an item from before per-message visibility lists only its last batch in `bat`: the others are visible
    received[seq] = { receiveCount: entry.c, firstReceivedAt: entry.f, token: entry.t ?? item.lock ?? '', visibleAt: item.bat?.[seq] ?? 0 }
  }
  return {
    pk: item.pk, version: item.ver ?? 0, lastSequence: item.tail, receivedThrough: item.bEnd, received, readyAt: item.ready,
    liveCount: item.n ?? 0, ttl: item.ttl ?? 0,
  }
}

/**
 * The conditional update for a change (used alone and inside transactions).
 * Condition: ver = :seenVer — nobody received, deleted or changed visibility since we read. When the change takes
 * the group out of the index, also tail = :seenTail, so a send that landed meanwhile cannot be stranded.
 * Writes: ver + 1, rx and bat (from `received`), and whatever else the change sets; n by delta (sends add to it
 * concurrently), or 0 when empty.
 */
export function groupUpdate(table: string, seen: GroupState, change: GroupChange) {
  const rx: NonNullable<GroupItem['rx']> = {}
  const bat: NonNullable<GroupItem['bat']> = {}
  for (const [seq, message] of Object.entries(change.received)) {
    rx[seq] = { c: message.receiveCount, f: message.firstReceivedAt, t: message.token }
    bat[seq] = message.visibleAt
  }
  const set = ['ver = ver + :one', 'rx = :rx']
  // a batch-wide lock of an item written before per-message tokens is in rx now: it goes
  const remove = ['#lock', '#until']
  const values: Record<string, unknown> = { ':one': 1, ':rx': rx, ':ver': seen.version }
  let condition = 'ver = :ver'
  if (change.receivedThrough !== undefined) {
    set.push('bEnd = :bEnd')
    values[':bEnd'] = change.receivedThrough
  }
  if (Object.keys(bat).length === 0) remove.push('bat')
  else {
    set.push('bat = :bat')
    values[':bat'] = bat
  }
  if (change.readyAt === null) {
    // the group is empty: its count restarts exactly (the tail condition rules out a send in between)
    remove.push('ready')
    set.push('n = :zero')
    values[':zero'] = 0
    if (seen.lastSequence === undefined) condition += ' AND attribute_not_exists(tail)'
    else {
      condition += ' AND tail = :tail'
      values[':tail'] = seen.lastSequence
    }
  } else if (change.readyAt !== undefined) {
    set.push('ready = :ready')
    values[':ready'] = change.readyAt
  }
  let expression = `SET ${set.join(', ')}`
  if (remove.length) expression += ` REMOVE ${remove.join(', ')}`
  if (change.countDelta && change.readyAt !== null) {
    expression += ' ADD n :dn'
    values[':dn'] = change.countDelta
  }
  return {
    TableName: table,
    Key: { pk: seen.pk, sk: fifoGroupSortKey },
    UpdateExpression: expression,
    ConditionExpression: condition,
    ExpressionAttributeValues: values,
    // LOCK and UNTIL are DynamoDB reserved words
    ExpressionAttributeNames: { '#lock': 'lock', '#until': 'until' },
  }
}

/** What a send (or a dead-letter move) appends to a group: the new tail and the index entry if it had none. */
export interface GroupAppend {
  pk: string
  /** The tail read before the write (undefined: no group item yet). */
  seenTail?: string
  tail: string
  rq: string
  /** Visible-at time of the new messages: the group's ready time unless it already has one. */
  visibleAt: number
  ttl: number
  /** Messages added. */
  count: number
}

/**
 * Condition: tail = :seenTail (or no group item yet) — the optimistic lock between senders into one group.
 * Writes: tail, rq, ttl; ready only if absent (a locked or non-empty group keeps its time); ver created at 0;
 * n + count. Receives are not disturbed: they condition on ver, which a send leaves alone.
 */
export function groupAppend(table: string, append: GroupAppend) {
  return {
    TableName: table,
    Key: { pk: append.pk, sk: fifoGroupSortKey },
    UpdateExpression: 'SET tail = :tail, rq = :rq, #ttl = :ttl, ready = if_not_exists(ready, :visibleAt), ver = if_not_exists(ver, :zero) ADD n :count',
    ConditionExpression: append.seenTail === undefined ? 'attribute_not_exists(pk)' : 'tail = :seenTail',
    ExpressionAttributeNames: { '#ttl': 'ttl' },
    ExpressionAttributeValues: {
      ':tail': append.tail, ':rq': append.rq, ':visibleAt': append.visibleAt, ':ttl': append.ttl, ':zero': 0, ':count': append.count,
      ...(append.seenTail === undefined ? {} : { ':seenTail': append.seenTail }),
    },
  }
}
