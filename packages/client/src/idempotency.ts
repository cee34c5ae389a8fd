/** @module idempotency — run a side effect once per key although SQS delivers at least once: helper, store interface, memory store. */
import { randomUUID } from 'node:crypto'
import type { ReceivedMessage } from './message.js'
import { now as systemNow } from './time.js'

/** What {@link IdempotencyStore.acquire} found. */
export type IdempotencyRecord =
  /** The key was free (or its lease had expired): the caller holds it now, under `token`, and runs the work. */
  | { status: 'acquired'; token: string }
  /** Another delivery holds the key and has not finished yet. */
  | { status: 'in-progress' }
  /** The work is done; `result` is what it returned. */
  | { status: 'completed'; result: unknown }

/**
 * Where {@link idempotent} keeps its keys: {@link MemoryIdempotencyStore}, `DynamoDBIdempotencyStore` (from
 * `@dqs/client/dynamodb`), or your own over a store every consumer process shares, e.g. with Redis,
 * `SET key <token> NX PX <leaseMs>` to acquire and a compare-on-token script to complete or release.
 */
export interface IdempotencyStore {
  /** Atomically claims `key` for `leaseMs`, unless it is completed or held under a lease that has not expired. */
  acquire(key: string, leaseMs: number): Promise<IdempotencyRecord>
  /** Records the result and keeps the key for `ttlMs`, if the claim under `token` is still the current one. */
  complete(key: string, token: string, result: unknown, ttlMs: number): Promise<void>
  /** Drops the claim under `token` (the work failed), so that the next delivery runs the work again. */
  release(key: string, token: string): Promise<void>
}

/** Thrown when another delivery of the same key is still running: the message is retried later, when it has finished. */
export class IdempotencyConflict extends Error {
  override readonly name = 'IdempotencyConflict'
  constructor(readonly key: string) {
    super(`Key ${key} is being processed by another delivery.`)
  }
}

/** How long {@link idempotent} keeps keys. */
export interface IdempotentOptions {
  /** How long a completed key (and its result) is remembered. Default 24 hours; make it longer than redeliveries can happen. */
  ttlMs?: number
  /** How long a claim lasts if its holder dies mid-work. Default 5 minutes; make it longer than the work takes. */
  leaseMs?: number
}

/**
 * Runs `work` once per `key`: a later call with a completed key returns the stored result without running it;
 * a call while another holds the key throws {@link IdempotencyConflict}; a `work` that throws releases the key.
 * The result must survive the store (a plain JSON value for Redis or DynamoDB stores).
 *
 * @example
 * consume(payments, (message) => idempotent(store, idempotencyKey(message), () => charge(message.body)))
 */
export async function idempotent<R>(store: IdempotencyStore, key: string, work: () => R | Promise<R>, options: IdempotentOptions = {}): Promise<R> {
  const { ttlMs = 24 * 3_600_000, leaseMs = 5 * 60_000 } = options
  const record = await store.acquire(key, leaseMs)
  if (record.status === 'completed') return record.result as R
  if (record.status === 'in-progress') throw new IdempotencyConflict(key)
  let result: R
  try {
    result = await work()
  } catch (error) {
    await store.release(key, record.token)
    throw error
  }
  await store.complete(key, record.token, result, ttlMs)
  return result
}

/**
 * The natural key of a message: its MessageDeduplicationId on FIFO queues (the producer's own id, stable across
 * the producer's retries), otherwise its MessageId (stable across redeliveries of one message).
 */
export function idempotencyKey(message: ReceivedMessage<unknown>): string {
  return message.messageDeduplicationId ?? message.messageId
}

interface MemoryEntry {
  status: 'in-progress' | 'completed'
  token: string
  result?: unknown
  expiresAt: number
}

/**
 * An {@link IdempotencyStore} in this process's memory, with expiry. Right for one process, or tests; several
 * consumer processes need a shared store, such as `DynamoDBIdempotencyStore`.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, MemoryEntry>()
  private nextSweep = 0
  private readonly now: () => number

  /** `now` replaces the clock, for tests. */
  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? systemNow
  }

  async acquire(key: string, leaseMs: number): Promise<IdempotencyRecord> {
    const now = this.now()
    this.sweep(now)
    const entry = this.entries.get(key)
    if (entry && entry.expiresAt > now) {
      return entry.status === 'completed' ? { status: 'completed', result: entry.result } : { status: 'in-progress' }
    }
    const token = randomUUID()
    this.entries.set(key, { status: 'in-progress', token, expiresAt: now + leaseMs })
    return { status: 'acquired', token }
  }

  async complete(key: string, token: string, result: unknown, ttlMs: number): Promise<void> {
    if (this.entries.get(key)?.token !== token) return
    this.entries.set(key, { status: 'completed', token, result, expiresAt: this.now() + ttlMs })
  }

  async release(key: string, token: string): Promise<void> {
    if (this.entries.get(key)?.token === token) this.entries.delete(key)
  }

  /** Number of keys held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size
  }

  /** Drops expired keys, at most once a second: memory stays bounded by the keys of one TTL. */
  private sweep(now: number) {
    if (now < this.nextSweep) return
    this.nextSweep = now + 1_000
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key)
  }
}
