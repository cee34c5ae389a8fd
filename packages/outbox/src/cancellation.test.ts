import type { TransactionalSend } from '@dqs/core'
import { describe, expect, it } from 'vitest'
import { outboxCancellation } from './cancellation.js'

const fifo = { dedupItemIndex: 0, groupItemIndex: 1 } as TransactionalSend
const cancelled = (...codes: string[]) =>
  Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) })

describe('outboxCancellation', () => {
  it('reads the reasons at the offset where the outbox items start', () => {
    expect(outboxCancellation(cancelled('None', 'ConditionalCheckFailed', 'None', 'None'), fifo, 1)).toBe('duplicate')
    expect(outboxCancellation(cancelled('None', 'None', 'ConditionalCheckFailed', 'None'), fifo, 1)).toBe('group-changed')
  })

  it('answers null for the caller’s own condition, a standard queue or another error', () => {
    expect(outboxCancellation(cancelled('ConditionalCheckFailed', 'None', 'None', 'None'), fifo, 1)).toBeNull()
    expect(outboxCancellation(cancelled('None', 'ConditionalCheckFailed'), {} as TransactionalSend, 1)).toBeNull()
    expect(outboxCancellation(new Error('ValidationException'), fifo, 0)).toBeNull()
  })
})
