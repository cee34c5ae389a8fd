/**
 * @module engine/count-changes — what a change to an item of the messages table does to its queue's running counts.
 *
 * The messages table's stream carries every change with the item before and after it. Each item image stands for
 * counter entries, and a change adds the entries of the new image and takes away those of the old one:
 * - `n`: live messages (a standard message item: one; a FIFO group item: its unfinished messages);
 * - `s<second>`: sent up to that second (standard queues: a bucket of send times, read against the retention);
 * - `d<second>` / `i<second>`: delayed / in flight until that second.
 * The counter item then answers GetQueueAttributes with one read, whatever the queue's size (`countsFromItem`).
 * Time-driven transitions (a delay or visibility timeout running out, retention passing) need no write: the reader
 * compares the buckets with its clock. Bucket keys depend on the image alone, so a message's entries are found
 * again, exactly, when it changes or goes.
 */
import { fifoGroupSortKey, isFifoMessageSortKey, parseFifoGroupPartition, parseShardPartition } from '../storage/keys.js'
import { decodeGroup, type GroupState } from '../storage/fifo-group-item.js'
import { decodeState } from '../storage/message-item.js'
import type { StreamChange } from '../storage/stream-records.js'
import type { ApproximateCounts } from './queue-attributes.js'

/** Counter entries to add (negative: take away), for one queue generation. */
export interface CountsDelta {
  queueId: string
  gen: number
  entries: Map<string, number>
}

/** Hidden spans up to this long are bucketed by the second; longer ones by the minute. */
const fineSpanMs = 15 * 60_000
/**
 * Delays past this (deliveries scheduled up to the retention period) count by the hour, so a queue's counts item
 * holds at most one entry per hour of its 14 days for them, whatever number of distinct times they are due at.
 * Only delays: an in-flight span keeps its minute buckets, which items counted before this rule already hold.
 */
const hourlyDelayMs = 12 * 3_600_000

/**
 * The second (epoch) that starts a hidden span's bucket: a message counts as hidden until then, at most 1 s (or 60 s)
 * before it is visible again — and a visibility timeout changed to 0 shows at once.
 */
export function hiddenUntilSecond(visibleAt: number, since: number) {
  const width = visibleAt - since <= fineSpanMs ? 1000 : 60_000
  return (Math.floor(visibleAt / width) * width) / 1000
}

/** As `hiddenUntilSecond`, for a delay: one past 12 hours ends at its hour (at most an hour early). */
export function delayedUntilSecond(visibleAt: number, sentAt: number) {
  if (visibleAt - sentAt <= hourlyDelayMs) return hiddenUntilSecond(visibleAt, sentAt)
  return (Math.floor(visibleAt / 3_600_000) * 3_600_000) / 1000
}

/**
 * The second that ends a send-time bucket: a power-of-two width near 1/32 of the message's retention, so a queue's
 * live messages fill about 32 buckets whatever its retention, and expiry is seen at most 1/32 of it late.
 */
export function sentUpToSecond(sentAt: number, expiresAt: number) {
  const width = 2 ** Math.max(0, Math.ceil(Math.log2((expiresAt - sentAt) / 32_000)))
  return Math.ceil(sentAt / 1000 / width) * width
}

type Counted = { queueId: string; gen: number; entries: Array<[entry: string, weight: number]> }

/** What an item of the messages table stands for in its queue's counts, or null when it counts for nothing. */
function countedOf(image: Record<string, unknown> | undefined): Counted | null {
  if (!image || typeof image.pk !== 'string' || typeof image.sk !== 'string') return null
  const standard = parseShardPartition(image.pk)
  if (standard) return typeof image.tok === 'string' ? { ...standard, entries: standardEntries(decodeState(image)) } : null
  const fifo = parseFifoGroupPartition(image.pk)
  if (!fifo) return null
  if (image.sk === fifoGroupSortKey) return { ...fifo, entries: groupEntries(decodeGroup(image)) }
  return isFifoMessageSortKey(image.sk) ? { ...fifo, entries: delayEntries(decodeState(image)) } : null
}

type MessageCounted = ReturnType<typeof decodeState>

/** A standard message item holds its whole state: live, sent when, hidden until when. Chunk items count for nothing. */
function standardEntries(message: MessageCounted): Counted['entries'] {
  const entries: Counted['entries'] = [['n', 1], [`s${sentUpToSecond(message.sentAt, message.expiresAt)}`, 1]]
  if (message.receiveCount > 0) entries.push([`i${hiddenUntilSecond(message.visibleAt, message.firstReceiveAt || message.sentAt)}`, 1])
  else entries.push(...delayEntries(message))
  return entries
}

/**
 * A FIFO group item counts its unfinished messages (`n`) and those received and still invisible; messages behind
 * them count as visible, as SQS counts them. Expired messages leave `n` when a receive passes them.
 */
function groupEntries(group: GroupState): Counted['entries'] {
  const entries: Counted['entries'] = group.liveCount ? [['n', group.liveCount]] : []
  for (const message of Object.values(group.received)) {
    // a message visible again (its visibility ended, or an item from before per-message visibility) is not hidden
    if (message.visibleAt) entries.push([`i${hiddenUntilSecond(message.visibleAt, message.firstReceivedAt || message.visibleAt)}`, 1])
  }
  return entries
}

/** A message never received is delayed until it is first visible (a FIFO message item says nothing else: it is immutable). */
function delayEntries(message: MessageCounted): Counted['entries'] {
  return message.visibleAt > message.sentAt ? [[`d${delayedUntilSecond(message.visibleAt, message.sentAt)}`, 1]] : []
}

/** Sums the changes per queue generation; entries that cancel out are left out, and so are queues left unchanged. */
export function countChanges(changes: Iterable<StreamChange>): CountsDelta[] {
  const deltas = new Map<string, CountsDelta>()
  const add = (image: Record<string, unknown> | undefined, sign: 1 | -1) => {
    const counted = countedOf(image)
    if (!counted) return
    const key = `${counted.queueId}#${counted.gen}`
    let delta = deltas.get(key)
    if (!delta) deltas.set(key, (delta = { queueId: counted.queueId, gen: counted.gen, entries: new Map() }))
    for (const [entry, weight] of counted.entries) delta.entries.set(entry, (delta.entries.get(entry) ?? 0) + sign * weight)
  }
  for (const change of changes) {
    add(change.oldImage, -1)
    add(change.newImage, 1)
  }
  for (const [key, delta] of deltas) {
    for (const [entry, value] of delta.entries) if (value === 0) delta.entries.delete(entry)
    if (delta.entries.size === 0) deltas.delete(key)
  }
  return [...deltas.values()]
}

const entryPattern = /^([dis])(\d+)$/

/**
 * Counts at `now` from a counter item. Messages sent before the retention cutoff are expired (still stored until
 * the sweeper or TTL removes them) and count nowhere; hidden buckets that have ended count as visible.
 */
export function countsFromItem(item: Record<string, unknown> | null, now: number, retentionMs: number): ApproximateCounts {
  if (!item) return { visible: 0, notVisible: 0, delayed: 0 }
  let live = typeof item.n === 'number' ? item.n : 0
  let delayed = 0
  let notVisible = 0
  for (const [name, value] of Object.entries(item)) {
    const match = entryPattern.exec(name)
    if (!match || typeof value !== 'number') continue
    const ms = Number(match[2]) * 1000
    if (match[1] === 's' && ms <= now - retentionMs) live -= value
    else if (match[1] === 'd' && ms > now) delayed += value
    else if (match[1] === 'i' && ms > now) notVisible += value
  }
  delayed = Math.max(0, delayed)
  notVisible = Math.max(0, notVisible)
  return { visible: Math.max(0, live - delayed - notVisible), notVisible, delayed }
}

/** Entries of a counter item that no longer say anything at `before`: ended hidden buckets and emptied send buckets. */
export function spentEntries(item: Record<string, unknown>, before: number): string[] {
  return Object.entries(item).flatMap(([name, value]) => {
    const match = entryPattern.exec(name)
    if (!match || Number(match[2]) * 1000 >= before) return []
    return match[1] !== 's' || value === 0 ? [name] : []
  })
}
