/** @module actions/shared/batch — the rules every batch action shares: 1–10 entries, distinct valid ids, Failed[] per entry. */
import {
  BatchEntryIdsNotDistinct, EmptyBatchRequest, InvalidBatchEntryId, MessageTooLong, SqsError, TooManyEntriesInBatchRequest, limits,
} from '@dqs/core'
import * as z from 'zod'

const entryIdPattern = /^[A-Za-z0-9_-]{1,80}$/

/**
 * An `Entries` list of the given entry schema; count and id rules are checked by `checkBatch`. Left out, it is empty:
 * a Query request cannot tell an empty list from none, and SQS answers both EmptyBatchRequest.
 */
export const entries = <T extends z.ZodRawShape>(shape: T) => z.array(z.object({ Id: z.string(), ...shape })).default([])

/** Whole-request failures, in SQS's order: empty, too many, then each id's form, then repeats. */
export function checkBatch(entries: Array<{ Id: string }>, entryType: string) {
  if (entries.length === 0) throw new EmptyBatchRequest(entryType)
  if (entries.length > limits.batchMaxEntries) throw new TooManyEntriesInBatchRequest(entries.length)
  const seen = new Set<string>()
  for (const { Id } of entries) {
    if (!entryIdPattern.test(Id)) throw new InvalidBatchEntryId()
    if (seen.has(Id)) throw new BatchEntryIdsNotDistinct(Id)
    seen.add(Id)
  }
}

export interface BatchResultErrorEntry {
  Id: string
  SenderFault: boolean
  Code: string
  Message: string
}

export function failedEntry(Id: string, error: SqsError): BatchResultErrorEntry {
  const Message = error instanceof MessageTooLong ? error.batchEntryMessage : error.message
  return { Id, SenderFault: error.fault === 'Sender', Code: error.queryCode, Message }
}

/**
 * Runs one operation per entry; an SqsError fails that entry alone (HTTP 200 for the batch), anything else
 * (storage down) fails the whole request so nothing is reported done that was not.
 */
export async function eachEntry<E extends { Id: string }, R>(
  entries: E[],
  run: (entry: E) => Promise<R>,
): Promise<{ Successful: R[]; Failed: BatchResultErrorEntry[] }> {
  const outcomes = await Promise.all(entries.map(async (entry) => {
    try {
      return { ok: true as const, value: await run(entry) }
    } catch (error) {
      if (error instanceof SqsError && error.status < 500) return { ok: false as const, failed: failedEntry(entry.Id, error) }
      throw error
    }
  }))
  return {
    Successful: outcomes.flatMap((o) => (o.ok ? [o.value] : [])),
    Failed: outcomes.flatMap((o) => (o.ok ? [] : [o.failed])),
  }
}
