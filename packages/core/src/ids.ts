/** @module ids — random identifiers: queue ids, claim tokens, message ids, request ids and move task ids. */
import { randomBytes, randomUUID } from 'node:crypto'

/**
 * `bytes` random bytes in base64url, taken from a pool refilled 4 KiB at a time: the same generator, but one call
 * into it per few hundred ids instead of one each (each message's sort key and each claim take one, and the calls
 * were 2 % of the server's CPU). Node's randomUUID pools its randomness the same way.
 */
export function randomText(bytes: number) {
  if (offset + bytes > pool.length) {
    pool = randomBytes(4096)
    offset = 0
  }
  return pool.toString('base64url', offset, (offset += bytes))
}
let pool = Buffer.alloc(0)
let offset = 0

export const newQueueId = () => randomText(9)
export const newToken = () => randomText(6)
export const newRequestId = () => randomUUID()
/** SQS message ids are UUIDs. */
export const newMessageId = () => randomUUID()
/** Move task ids are UUIDs too (they appear inside SQS's task handles). */
export const newTaskId = () => randomUUID()
