/**
 * @module storage/stream-page — a GetRecords answer parsed record by record, with some of its images' attributes
 * cut out of its bytes first. A page is up to a few MB, and on this kind of machine a string over 128 KB costs V8
 * about 60 times more to make than its size would say (a large-object allocation: ~0.9 ms for 132 KB of text, 15 µs
 * for 130 KB), so no string the size of a page is made: each record is decoded and parsed alone. And a message's
 * body is most of each image it is in (1 KiB against ~300 bytes of state), of no use to a reader of message states:
 * cut from the bytes, it is neither decoded, nor parsed, nor collected again.
 *
 * The page is compacted in place as it is read, one byte at a time (a native call per kept piece cost more than the
 * bytes: ~30 pieces a record); the strings of cut attributes are skipped with a native search for their closing quote.
 */
import { isAscii } from 'node:buffer'

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d

/** Nesting of a record: the answer `{`, then its `Records` `[` (the answer's only array). */
const recordDepth = 2
/** Nesting of an image's own attributes: a record `{`, its `dynamodb` `{`, the image `{`. */
const imageDepth = recordDepth + 3
/** Attribute names up to this long can be cut (their bytes make one number, looked up without making a string). */
const longestName = 6

/**
 * What a stream record says of itself that no reader here looks at: its id, the event's source and version, the
 * region, and (in its `dynamodb` object) its time, size, view type and the item's key (which its images hold too).
 * About a third of what is left of a record once the bodies are cut.
 */
export const unreadRecordFields = [
  'eventID', 'eventVersion', 'eventSource', 'awsRegion', 'ApproximateCreationDateTime', 'Keys', 'SizeBytes', 'StreamViewType',
] as const

/**
 * The answer `page` holds, each record parsed on its own and without the attributes named `omit` in its images (or
 * in its Keys, which never hold them), and without the record's own fields named `fields` (at its level or in its
 * `dynamodb` object); anything deeper (a map attribute's entries) is kept whatever its name. An answer not of the
 * shape expected is parsed whole, for the parser to refuse or read as it is. `page` is rewritten.
 * Each record is handed to `read` as soon as it is parsed and the page keeps what that answers: a reader that keeps
 * little of a record leaves its parsed form to die young, not a thousand of them to be carried through collections.
 */
export function readRecordsPage(
  page: Buffer, omit: readonly string[], read: (record: any) => unknown = (record) => record, fields: readonly string[] = [],
): { Records?: unknown[]; [field: string]: unknown } {
  const fieldNames = fields.map((name) => Buffer.from(name, 'utf8'))
  const omitted = new Set(omit.map((name) => {
    const bytes = Buffer.from(name, 'utf8')
    if (bytes.length > longestName) throw new Error(`An attribute name of over ${longestName} bytes cannot be cut: ${name}`)
    return nameCode(bytes, 0, bytes.length)
  }))
  // the same text either way for ASCII, which pages nearly always are; latin1 decodes short texts faster
  const encoding = isAscii(page) ? 'latin1' : 'utf8'
  const records: unknown[] = []
  let recordsOpen = -1
  let recordsClose = -1
  let recordStart = -1
  let depth = 0
  let w = 0
  for (let i = 0; i < page.length;) {
    const byte = page[i]!
    if (byte === QUOTE) {
      const end = stringEnd(page, i)
      const cut = recordStart >= 0 && (depth === imageDepth
        ? end - i - 1 <= longestName && omitted.has(nameCode(page, i + 1, end))
        : depth > recordDepth && depth < imageDepth && fieldNames.length > 0 && isNamed(page, i + 1, end, fieldNames))
      if (cut) {
        const valueEnd = memberValueEnd(page, end + 1)
        if (valueEnd >= 0) {
          // the comma before it goes, or else (first in its object) the one after it
          const before = lastByte(page, w - 1)
          if (page[before] === COMMA) w = before
          const after = nextByte(page, valueEnd)
          i = page[before] !== COMMA && page[after] === COMMA ? after + 1 : valueEnd
          continue
        }
      }
      while (i <= end && i < page.length) page[w++] = page[i++]!
      continue
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (depth === recordDepth - 1 && byte === OPEN_BRACKET && recordsOpen < 0) recordsOpen = w
      else if (depth === recordDepth && byte === OPEN_BRACE && recordsClose < 0 && recordsOpen >= 0) recordStart = w
      depth++
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--
      if (depth === recordDepth && recordStart >= 0) {
        page[w++] = byte
        i++
        records.push(read(JSON.parse(page.toString(encoding, recordStart, w))))
        recordStart = -1
        continue
      }
      if (depth === recordDepth - 1 && byte === CLOSE_BRACKET && recordsOpen >= 0 && recordsClose < 0) recordsClose = w
    }
    page[w++] = byte
    i++
  }
  if (recordsOpen < 0 || recordsClose < 0) {
    const whole = JSON.parse(page.toString('utf8', 0, w))
    if (Array.isArray(whole?.Records)) whole.Records = whole.Records.map(read)
    return whole
  }
  const answer = JSON.parse(page.toString(encoding, 0, recordsOpen + 1) + page.toString(encoding, recordsClose, w))
  answer.Records = records
  return answer
}

/** A name of up to `longestName` bytes as one number: its bytes, then its length. */
function nameCode(bytes: Buffer, start: number, end: number) {
  let code = 0
  for (let i = start; i < end; i++) code = code * 256 + bytes[i]!
  return code * 8 + (end - start)
}

/** The index of the quote that closes the string opened at `open` (the page's length if none does). */
function stringEnd(page: Buffer, open: number): number {
  for (let i = open + 1; i < page.length; i++) {
    const byte = page[i]
    if (byte === QUOTE) return i
    if (byte === BACKSLASH) i++
  }
  return page.length
}

/** As `stringEnd`, for a long string (a body): a native search for each quote, then a look at the backslashes before it. */
function longStringEnd(page: Buffer, open: number): number {
  let quote = open
  for (;;) {
    quote = page.indexOf(QUOTE, quote + 1)
    if (quote < 0) return page.length
    let backslashes = 0
    while (page[quote - 1 - backslashes] === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) return quote
  }
}

/** Whether the bytes from `start` to `end` are one of `names`. */
function isNamed(page: Buffer, start: number, end: number, names: Buffer[]) {
  next: for (const name of names) {
    if (name.length !== end - start) continue
    for (let k = 0; k < name.length; k++) if (page[start + k] !== name[k]) continue next
    return true
  }
  return false
}

/**
 * Where the value of the member whose name ends before `afterName` ends: the index just past it (a string, an
 * object or array, or a number or literal). -1 when the name is not followed by `:` (it was a value, not a name).
 */
function memberValueEnd(page: Buffer, afterName: number): number {
  const colon = nextByte(page, afterName)
  if (page[colon] !== COLON) return -1
  const open = nextByte(page, colon + 1)
  const first = page[open]
  if (first === QUOTE) return longStringEnd(page, open) + 1
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = open
    while (i < page.length && page[i] !== COMMA && page[i] !== CLOSE_BRACE && page[i] !== CLOSE_BRACKET && !isSpace(page[i])) i++
    return i
  }
  let depth = 0
  for (let i = open; i < page.length; i++) {
    const byte = page[i]
    if (byte === QUOTE) i = longStringEnd(page, i)
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++
    else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && --depth === 0) return i + 1
  }
  return -1
}

const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09

function nextByte(page: Buffer, i: number) {
  while (isSpace(page[i])) i++
  return i
}

function lastByte(page: Buffer, i: number) {
  while (isSpace(page[i])) i--
  return i
}
