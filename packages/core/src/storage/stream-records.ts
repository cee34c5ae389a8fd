/**
 * @module storage/stream-records — the messages table's stream records as changes with readable images: what the
 * local follower, the counts Lambda and a local GetQueueAttributes all read. Pure decoding, no I/O.
 */
import { nativeImage } from './document-json.js'

/** One change of a messages item, with its images unmarshalled (numbers as JS numbers). */
export interface StreamChange {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE'
  oldImage?: Record<string, unknown>
  newImage?: Record<string, unknown>
}

/** A stream record as GetRecords returns it, or as a Lambda DynamoDB stream event carries it: the same shape. */
export interface StreamRecordLike {
  eventName?: string
  dynamodb?: { OldImage?: Record<string, any>; NewImage?: Record<string, any> }
}

/** A stream record as a StreamChange; throws for an event name DynamoDB does not send. */
export function toStreamChange(record: StreamRecordLike): StreamChange {
  const { eventName, dynamodb } = record
  if (eventName !== 'INSERT' && eventName !== 'MODIFY' && eventName !== 'REMOVE') throw new Error(`Unexpected stream event name: ${eventName}`)
  return {
    eventName,
    ...(dynamodb?.OldImage ? { oldImage: nativeImage(withEmptyMaps(dynamodb.OldImage)) } : {}),
    ...(dynamodb?.NewImage ? { newImage: nativeImage(withEmptyMaps(dynamodb.NewImage)) } : {}),
  }
}

/**
 * A record's change, or why it cannot be read. One that cannot is to be reported and left out: retrying it would
 * stop the whole shard behind it for good (only counts depend on it, and they are approximate).
 */
export function readChange(record: StreamRecordLike): { change: StreamChange } | { unreadable: unknown } {
  try {
    return { change: toStreamChange(record) }
  } catch (error) {
    return { unreadable: error }
  }
}

/** The changes of records read with `readChange`; the unreadable ones reported and left out. */
export function changesOf(reads: Iterable<ReturnType<typeof readChange>>, report: (error: unknown) => void): StreamChange[] {
  const changes: StreamChange[] = []
  for (const read of reads) {
    if ('change' in read) changes.push(read.change)
    else report(read.unreadable)
  }
  return changes
}

/** The changes of records that can be read; the others reported and left out (`readChange`). */
export function readableChanges(records: StreamRecordLike[], report: (error: unknown) => void): StreamChange[] {
  return changesOf(records.map(readChange), report)
}

/**
 * An empty map attribute (a FIFO group's `rx: {}`) reaches a stream reader as `{}`, with no type at all, which
 * the conversion refuses: every untyped value is read back as the empty map it was. In place: the image is the
 * reader's own (parsed from a page or an event), and most of it needs nothing.
 */
function withEmptyMaps(image: Record<string, any>): Record<string, any> {
  for (const name in image) image[name] = typed(image[name])
  return image
}

function typed(value: any): any {
  if (!value || typeof value !== 'object') return { M: {} }
  if (value.M) withEmptyMaps(value.M)
  else if (value.L) value.L = value.L.map(typed)
  else if (!hasKeys(value)) return { M: {} }
  return value
}

function hasKeys(value: object) {
  for (const _ in value) return true
  return false
}
