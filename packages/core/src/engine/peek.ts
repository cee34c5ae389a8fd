/**
 * @module engine/peek — looking into a queue without consuming it (the operator console): pages of messages in
 * send order with their state, FIFO queues by message group, the age of the oldest message, and deleting one
 * message the console names. A peek only reads: receive counts, visibility and group locks stay as they are.
 */
import { InvalidParameterValue } from '../errors.js'
import type { StoredMessage } from '../model/message.js'
import { queueSettings, type Queue } from '../model/queue.js'
import { getGroup, readGroup, writeGroup } from '../storage/fifo-store.js'
import type { GroupChange, GroupState } from '../storage/fifo-group-item.js'
import {
  fifoAfterMessage, fifoGroupPartition, fifoGroupSortKey, fifoMessageSortKey, fifoReadyShard, fifoSequenceOf, parseFifoGroupPartition,
  parseShardPartition, sentBeforeBound, shardPartition,
} from '../storage/keys.js'
import {
  anyBetween, deleteMessageAt, oldestInShard, readReadyPage, readShardPage, type PeekOrder, type ReadyEntry,
} from '../storage/peek-store.js'
import type { EngineDeps } from './deps.js'
import { headInFlightUntil, isFinished, isInFlight, readyAfter } from './fifo/group-state.js'
import { fifoStore } from './fifo/store.js'

export type { PeekOrder } from '../storage/peek-store.js'

/** How a message stands at the time of the peek, as a receive would find it. */
export type PeekedState = 'visible' | 'in-flight' | 'delayed' | 'expired'

export interface PeekedMessage {
  /** Opaque: names the message to `deletePeekedMessage`. */
  ref: string
  messageId: string
  body: string
  /** Message attributes as sent. */
  messageAttributes: StoredMessage['attributes']
  /** SQS's system attributes (SenderId, SentTimestamp, ApproximateReceiveCount, …) as a receive would report them. */
  attributes: Record<string, string>
  md5OfBody: string
  receiveCount: number
  sentAt: number
  firstReceiveAt?: number
  state: PeekedState
  /** When an in-flight or delayed message is visible again. */
  until?: number
  messageGroupId?: string
  sequenceNumber?: string
}

export interface PeekedGroup {
  groupId: string
  /** Place in the receive order of the groups read in this order (1 = first); groups elsewhere are not counted. */
  position: number
  /** Unfinished messages in the group. */
  messages: number
  /** `locked`: its head is in flight until `until`; `delayed`: its head is delayed until `until`. */
  lock: 'receivable' | 'locked' | 'delayed'
  until?: number
  /** The group's first messages, in sequence order. */
  head: PeekedMessage[]
  /** Continues the group's messages (`peekGroup`) when it has more than shown. */
  more?: string
}

export type PeekPage =
  | { fifo: false; messages: PeekedMessage[]; cursor?: string }
  | { fifo: true; groups: PeekedGroup[]; cursor?: string }

export interface PeekOptions {
  order: PeekOrder
  /** Messages per page (standard) or groups per page (FIFO): 1–100. */
  limit: number
  cursor?: string
}

/** Messages shown per group on a FIFO page. */
const headPerGroup = 5

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
function decode(text: string, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidParameterValue(`Invalid ${what}.`)
  }
}

function checkLimit(limit: number) {
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new InvalidParameterValue('Limit must be between 1 and 100.')
}

/**
 * A page of the queue's messages (standard) or message groups (FIFO), oldest or newest first. Standard: every
 * shard is read from the cursor on (at most `limit` messages each, in parallel) and the page is the first `limit`
 * in send order across them, so a page reads at most shards × limit messages however long the queue. FIFO: the
 * groups' entries of the `ready` index, in receive order, and the first messages of each group.
 */
export async function peekMessages(deps: EngineDeps, queue: Queue, options: PeekOptions): Promise<PeekPage> {
  checkLimit(options.limit)
  return queue.fifo ? peekFifo(deps, queue, options) : peekStandard(deps, queue, options)
}

/** Per shard: the sort key read up to, null (from the start), or false (nothing more). */
type ShardCursor = Array<string | null | false>

function shardCursor(queue: Queue, options: PeekOptions): ShardCursor {
  const fresh = Array<null>(queue.shards).fill(null)
  if (options.cursor === undefined) return fresh
  const value = decode(options.cursor, 'cursor') as { g?: unknown; o?: unknown; s?: unknown }
  const valid = Array.isArray(value?.s) && value.s.length === queue.shards && value.o === options.order &&
    value.s.every((s: unknown) => s === null || s === false || (typeof s === 'string' && /^\d{13}[A-Za-z0-9_-]{1,16}$/.test(s)))
  if (!valid) throw new InvalidParameterValue('Invalid cursor.')
  // a purge since the cursor was issued: the queue's messages are new ones, start over
  return value.g === queue.gen ? (value.s as ShardCursor) : fresh
}

async function peekStandard(deps: EngineDeps, queue: Queue, options: PeekOptions): Promise<PeekPage> {
  const store = { db: deps.db, table: deps.tables.messages }
  const cursor = shardCursor(queue, options)
  const pages = await Promise.all(cursor.map((after, shard) => after === false
    ? { messages: [], exhausted: true }
    : readShardPage(store, shardPartition(queue.id, queue.gen, shard), { order: options.order, limit: options.limit, after: after ?? undefined })))
  const merged = pages.flatMap((page, shard) => page.messages.map((message) => ({ message, shard })))
  merged.sort((a, b) => (a.message.sk < b.message.sk ? -1 : a.message.sk > b.message.sk ? 1 : 0) * (options.order === 'oldest' ? 1 : -1))
  const taken = merged.slice(0, options.limit)
  const next: ShardCursor = [...cursor]
  for (const { message, shard } of taken) next[shard] = message.sk
  for (const [shard, page] of pages.entries()) {
    const used = taken.filter((t) => t.shard === shard).length
    if (page.exhausted && used === page.messages.length) next[shard] = false
  }
  const now = deps.clock.now()
  const messages = taken.map(({ message }) => standardView(message, now))
  const more = next.some((s) => s !== false)
  return { fifo: false, messages, ...(more ? { cursor: encode({ g: queue.gen, o: options.order, s: next }) } : {}) }
}

function stateOf(message: { visibleAt: number; expiresAt: number }, received: boolean, now: number): { state: PeekedState; until?: number } {
  if (message.expiresAt <= now) return { state: 'expired' }
  if (message.visibleAt > now) return { state: received ? 'in-flight' : 'delayed', until: message.visibleAt }
  return { state: 'visible' }
}

/** SQS's system attributes of a message as a receive reports them (without counting this as one). */
function systemAttributes(message: StoredMessage, receiveCount: number, firstReceiveAt: number) {
  const attributes: Record<string, string> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(receiveCount),
  }
  if (firstReceiveAt) attributes.ApproximateFirstReceiveTimestamp = String(firstReceiveAt)
  if (message.messageGroupId !== undefined) attributes.MessageGroupId = message.messageGroupId
  if (message.messageDeduplicationId !== undefined) attributes.MessageDeduplicationId = message.messageDeduplicationId
  if (message.sequenceNumber !== undefined) attributes.SequenceNumber = message.sequenceNumber
  if (message.deadLetterQueueSourceArn !== undefined) attributes.DeadLetterQueueSourceArn = message.deadLetterQueueSourceArn
  const trace = message.systemAttributes.AWSTraceHeader
  if (trace?.StringValue !== undefined) attributes.AWSTraceHeader = trace.StringValue
  return attributes
}

function standardView(message: StoredMessage, now: number): PeekedMessage {
  return {
    ref: encode({ p: message.pk, s: message.sk }),
    messageId: message.messageId,
    body: message.body,
    messageAttributes: message.attributes,
    attributes: systemAttributes(message, message.receiveCount, message.firstReceiveAt),
    md5OfBody: message.md5OfBody,
    receiveCount: message.receiveCount,
    sentAt: message.sentAt,
    ...(message.firstReceiveAt ? { firstReceiveAt: message.firstReceiveAt } : {}),
    ...stateOf(message, message.receiveCount > 0, now),
    ...(message.messageGroupId !== undefined ? { messageGroupId: message.messageGroupId } : {}),
  }
}

function fifoView(group: GroupState, message: StoredMessage, now: number): PeekedMessage {
  const seq = message.sequenceNumber!
  const history = group.received[seq]
  const receiveCount = history?.receiveCount ?? 0
  const state: { state: PeekedState; until?: number } = message.expiresAt <= now
    ? { state: 'expired' }
    : isInFlight(group, seq, now)
      ? { state: 'in-flight', until: history!.visibleAt }
      : message.visibleAt > now ? { state: 'delayed', until: message.visibleAt } : { state: 'visible' }
  return {
    ref: encode({ p: message.pk, s: message.sk }),
    messageId: message.messageId,
    body: message.body,
    messageAttributes: message.attributes,
    attributes: systemAttributes(message, receiveCount, history?.firstReceivedAt ?? 0),
    md5OfBody: message.md5OfBody,
    receiveCount,
    sentAt: message.sentAt,
    ...(history?.firstReceivedAt ? { firstReceiveAt: history.firstReceivedAt } : {}),
    ...state,
    messageGroupId: message.messageGroupId,
    sequenceNumber: seq,
  }
}

/** Per `ready` shard: the last entry read, null (from the start) or false (nothing more); and groups before. */
interface GroupCursor {
  s: Array<ReadyEntry | null | false>
  n: number
}

function groupCursor(queue: Queue, options: PeekOptions): GroupCursor {
  const fresh: GroupCursor = { s: Array<null>(queue.shards).fill(null), n: 0 }
  if (options.cursor === undefined) return fresh
  const value = decode(options.cursor, 'cursor') as { g?: unknown; o?: unknown; s?: unknown; n?: unknown }
  const entry = (e: unknown) => e === null || e === false ||
    (typeof e === 'object' && typeof (e as ReadyEntry).pk === 'string' && parseFifoGroupPartition((e as ReadyEntry).pk)?.queueId === queue.id &&
      Number.isSafeInteger((e as ReadyEntry).ready))
  const valid = Array.isArray(value?.s) && value.s.length === queue.shards && value.o === options.order && value.s.every(entry) &&
    Number.isSafeInteger(value.n)
  if (!valid) throw new InvalidParameterValue('Invalid cursor.')
  return value.g === queue.gen ? { s: value.s as GroupCursor['s'], n: value.n as number } : fresh
}

const groupIdOf = (queue: Queue, pk: string) => pk.slice(fifoGroupPartition(queue.id, queue.gen, '').length)

async function peekFifo(deps: EngineDeps, queue: Queue, options: PeekOptions): Promise<PeekPage> {
  const index = { db: deps.db, table: deps.tables.messages }
  const cursor = groupCursor(queue, options)
  const pages = await Promise.all(cursor.s.map((after, shard) => after === false
    ? { entries: [], exhausted: true }
    : readReadyPage(index, fifoReadyShard(queue.id, queue.gen, shard), { order: options.order, limit: options.limit, after: after ?? undefined })))
  const merged = pages.flatMap((page, shard) => page.entries.map((entry) => ({ entry, shard })))
  merged.sort((a, b) => (a.entry.ready - b.entry.ready || (a.entry.pk < b.entry.pk ? -1 : 1)) * (options.order === 'oldest' ? 1 : -1))
  const taken = merged.slice(0, options.limit)
  const next = [...cursor.s]
  for (const { entry, shard } of taken) next[shard] = entry
  for (const [shard, page] of pages.entries()) {
    if (page.exhausted && taken.filter((t) => t.shard === shard).length === page.entries.length) next[shard] = false
  }
  const now = deps.clock.now()
  const groups = (await Promise.all(taken.map(async ({ entry }, i) => {
    const view = await groupView(deps, queue, entry.pk, now)
    return view && { ...view, position: cursor.n + i + 1 }
  }))).filter((g): g is PeekedGroup => g !== null)
  const more = next.some((s) => s !== false)
  return { fifo: true, groups, ...(more ? { cursor: encode({ g: queue.gen, o: options.order, s: next, n: cursor.n + taken.length }) } : {}) }
}

/** A group's lock and first messages, from one consistent read of its partition (group item and head). */
async function groupView(deps: EngineDeps, queue: Queue, pk: string, now: number): Promise<Omit<PeekedGroup, 'position'> | null> {
  const page = await readGroup(fifoStore(deps), pk, headPerGroup + 2)
  if (!page.group) return null
  const group = page.group
  const live = page.messages.filter((m) => !isFinished(group, m.sequenceNumber!))
  const head = live.slice(0, headPerGroup).map((m) => fifoView(group, m, now))
  const lockedUntil = headInFlightUntil(group, now)
  const first = head[0]
  const lock = lockedUntil !== undefined
    ? { lock: 'locked' as const, until: lockedUntil }
    : first?.state === 'delayed' ? { lock: 'delayed' as const, until: first.until } : { lock: 'receivable' as const }
  const shown = head.at(-1)
  const more = live.length > headPerGroup || (page.next !== undefined && shown !== undefined)
  return {
    groupId: groupIdOf(queue, pk),
    messages: group.liveCount,
    ...lock,
    head,
    ...(more && shown ? { more: encode({ g: groupIdOf(queue, pk), a: fifoMessageSortKey(shown.sequenceNumber!) }) } : {}),
  }
}

/** The next messages of one FIFO group after those a page showed (`PeekedGroup.more`), in sequence order. */
export async function peekGroup(deps: EngineDeps, queue: Queue, more: string, limit: number): Promise<{ messages: PeekedMessage[]; more?: string }> {
  checkLimit(limit)
  const value = decode(more, 'cursor') as { g?: unknown; a?: unknown }
  if (!queue.fifo || typeof value?.g !== 'string' || typeof value.a !== 'string' || fifoSequenceOf(value.a) === null) {
    throw new InvalidParameterValue('Invalid cursor.')
  }
  const pk = fifoGroupPartition(queue.id, queue.gen, value.g)
  const store = fifoStore(deps)
  const group = await getGroup(store, pk)
  if (!group) return { messages: [] }
  const page = await readGroup(store, pk, limit, fifoAfterMessage(value.a))
  const now = deps.clock.now()
  const messages = page.messages.filter((m) => !isFinished(group, m.sequenceNumber!)).map((m) => fifoView(group, m, now))
  const last = page.messages.at(-1)
  return { messages, ...(page.next && last ? { more: encode({ g: value.g, a: last.sk }) } : {}) }
}

/**
 * Age in seconds of the queue's oldest message, or null when it has none.
 * Standard: the first live item of each shard partition (message keys begin with the time the message arrived in
 * this queue, so key order is arrival order; keys past the retention are skipped by the key condition): one small
 * query per shard, typically one item read each (0.5 RRU). In flight and delayed messages count, as on SQS; a
 * message moved to a dead-letter queue counts from its move.
 * FIFO: the earliest entry of the `ready` index (one key per shard) names the group waiting longest, and its first
 * unfinished message's send time is the age: groups whose head is locked count from when the lock ends, so the
 * figure may be younger than SQS's while every group is in flight.
 */
export async function oldestMessageAge(deps: EngineDeps, queue: Queue): Promise<number | null> {
  const now = deps.clock.now()
  const store = { db: deps.db, table: deps.tables.messages }
  let oldest: number | undefined
  if (!queue.fifo) {
    const from = sentBeforeBound(now - queueSettings(queue).messageRetentionPeriod * 1000)
    const found = await Promise.all([...Array(queue.shards).keys()].map((shard) =>
      oldestInShard(store, shardPartition(queue.id, queue.gen, shard), from, now)))
    for (const item of found) {
      const arrived = item ? Number(item.sk.slice(0, 13)) : undefined
      if (arrived !== undefined && (oldest === undefined || arrived < oldest)) oldest = arrived
    }
  } else {
    const firsts = await Promise.all([...Array(queue.shards).keys()].map((shard) =>
      readReadyPage(store, fifoReadyShard(queue.id, queue.gen, shard), { order: 'oldest', limit: 1 })))
    const entry = firsts.flatMap((page) => page.entries).sort((a, b) => a.ready - b.ready)[0]
    if (entry) {
      const page = await readGroup(fifoStore(deps), entry.pk, 3)
      const first = page.group && page.messages.find((m) => !isFinished(page.group!, m.sequenceNumber!) && m.expiresAt > now)
      if (first) oldest = first.sentAt
    }
  }
  return oldest === undefined ? null : Math.max(0, Math.floor((now - oldest) / 1000))
}

/**
 * Deletes the message a peek named (`PeekedMessage.ref`), whatever its state: a consumer holding it finds its
 * delete a silent success, as after any delete. Standard: the item goes. FIFO: the group records the message as
 * finished (one conditional write on the group item, as DeleteMessage makes) and the item goes; FIFO order allows
 * this for a received message and for the group's first unreceived one only: the others wait behind the head.
 */
export async function deletePeekedMessage(deps: EngineDeps, queue: Queue, ref: string): Promise<void> {
  const value = decode(ref, 'message reference') as { p?: unknown; s?: unknown }
  const pk = typeof value?.p === 'string' ? value.p : ''
  const sk = typeof value?.s === 'string' ? value.s : ''
  const gone = () => new InvalidParameterValue('The message no longer exists: it was deleted, expired or moved since the peek.')
  if (!queue.fifo) {
    const partition = parseShardPartition(pk)
    if (partition?.queueId !== queue.id || partition.gen !== queue.gen || !/^\d{13}/.test(sk) || sk.includes('#')) {
      throw new InvalidParameterValue('Invalid message reference.')
    }
    if (!(await deleteMessageAt({ db: deps.db, table: deps.tables.messages }, { pk, sk }))) throw gone()
    return
  }
  const partition = parseFifoGroupPartition(pk)
  const seq = fifoSequenceOf(sk)
  if (partition?.queueId !== queue.id || partition.gen !== queue.gen || seq === null) throw new InvalidParameterValue('Invalid message reference.')
  const store = fifoStore(deps)
  for (let attempt = 0; attempt < 10; attempt++) {
    const group = await getGroup(store, pk)
    const now = deps.clock.now()
    if (!group || isFinished(group, seq) || group.lastSequence === undefined || seq > group.lastSequence) throw gone()
    // a group waiting its turn keeps its place in the receive order
    const from = group.readyAt !== undefined && group.readyAt <= now ? group.readyAt : now
    let change: GroupChange
    if (seq in group.received) {
      const received = { ...group.received }
      delete received[seq]
      change = { received, readyAt: readyAfter({ ...group, received }, now, from), countDelta: -1 }
    } else {
      const after = group.receivedThrough === undefined ? fifoGroupSortKey : fifoAfterMessage(fifoMessageSortKey(group.receivedThrough))
      if (await anyBetween(store, pk, after, sk)) {
        throw new InvalidParameterValue('FIFO order: only a received message or the first unreceived one of a message group can be deleted.')
      }
      change = { received: group.received, receivedThrough: seq, readyAt: readyAfter({ ...group, receivedThrough: seq }, now, from), countDelta: -1 }
    }
    if (await writeGroup(store, group, change)) {
      await deleteMessageAt(store, { pk, sk }).catch(() => undefined) // clean-up: the group item made it finished
      return
    }
  }
  throw new InvalidParameterValue('The message group is busy: try again.')
}
