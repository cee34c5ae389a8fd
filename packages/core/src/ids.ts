/** @module ids — random identifiers: queue ids, claim tokens, message ids, request ids and move task ids. */
import { randomBytes, randomUUID } from 'node:crypto'

export const newQueueId = () => randomBytes(9).toString('base64url')
export const newToken = () => randomBytes(6).toString('base64url')
export const newRequestId = () => randomUUID()
/** SQS message ids are UUIDs. */
export const newMessageId = () => randomUUID()
/** Move task ids are UUIDs too (they appear inside SQS's task handles). */
export const newTaskId = () => randomUUID()
