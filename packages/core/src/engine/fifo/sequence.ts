/** @module engine/fifo/sequence — SequenceNumber: a 20-digit decimal that grows within each message group. */

const width = 20
const perMillisecond = 10_000_000n

/**
 * The next sequence number of a group: the send time in ms × 10^7, or one more than the group's last number when
 * that is larger. So numbers grow strictly within a group even when clocks of different instances disagree by a
 * few hundred ms, and keep growing if a drained group's item is ever removed and re-created. Fixed width keeps
 * string order equal to numeric order (sort keys and conditions compare strings).
 */
export function nextSequenceNumber(now: number, previous?: string): string {
  return sequenceNumbers(now, previous, 1)[0]!
}

/** The next `count` sequence numbers of a group, consecutive (messages of one batch sent together). */
export function sequenceNumbers(now: number, previous: string | undefined, count: number): string[] {
  const fromClock = BigInt(now) * perMillisecond
  const afterPrevious = previous === undefined ? 0n : BigInt(previous) + 1n
  const first = fromClock > afterPrevious ? fromClock : afterPrevious
  return Array.from({ length: count }, (_, i) => (first + BigInt(i)).toString().padStart(width, '0'))
}

/** The larger of two sequence numbers (fixed width, so string order is enough); undefined is "none yet". */
export const laterSequence = (a: string | undefined, b: string) => (a !== undefined && a > b ? a : b)
