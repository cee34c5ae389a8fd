import { consume, idempotencyKey, idempotent, IdempotencyConflict, MemoryIdempotencyStore, queue } from '@dqs/client'
import { describe, expect, it } from 'vitest'
import { createQueue, sqsClient, waitUntil } from './support.js'

describe('idempotent() with the in-memory store', () => {
  it('runs the work once per key and returns the stored result to later calls', async () => {
    const store = new MemoryIdempotencyStore()
    let runs = 0
    const work = async () => ++runs
    expect(await idempotent(store, 'k', work)).toBe(1)
    expect(await idempotent(store, 'k', work)).toBe(1)
    expect(await idempotent(store, 'other', work)).toBe(2)
    expect(runs).toBe(2)
  })

  it('throws IdempotencyConflict while another call holds the key, and lets a call run again after a failure', async () => {
    const store = new MemoryIdempotencyStore()
    let finish!: () => void
    const first = idempotent(store, 'k', () => new Promise<string>((resolve) => (finish = () => resolve('done'))))
    await expect(idempotent(store, 'k', () => 'second')).rejects.toBeInstanceOf(IdempotencyConflict)
    finish()
    expect(await first).toBe('done')

    await expect(idempotent(store, 'f', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await idempotent(store, 'f', () => 'retried')).toBe('retried')
  })

  it('forgets completed keys after their TTL and abandoned claims after their lease', async () => {
    let clock = 0
    const store = new MemoryIdempotencyStore({ now: () => clock })
    let runs = 0
    await idempotent(store, 'k', () => ++runs, { ttlMs: 1_000 })
    clock = 999
    await idempotent(store, 'k', () => ++runs, { ttlMs: 1_000 })
    expect(runs).toBe(1)
    clock = 1_000
    await idempotent(store, 'k', () => ++runs, { ttlMs: 1_000 })
    expect(runs).toBe(2)

    // a holder that died: its claim blocks until the lease ends, then the key is free, and the dead holder's late
    // completion does not overwrite the new one
    const claim = await store.acquire('dead', 500)
    await expect(idempotent(store, 'dead', () => 'x', { leaseMs: 500 })).rejects.toBeInstanceOf(IdempotencyConflict)
    clock += 500
    expect(await idempotent(store, 'dead', () => 'new', { leaseMs: 500 })).toBe('new')
    if (claim.status === 'acquired') await store.complete('dead', claim.token, 'stale', 10_000)
    expect(await idempotent(store, 'dead', () => 'again')).toBe('new')
    // expired keys are swept, so memory does not grow without bound
    clock += 100_000_000
    await store.acquire('fresh', 1)
    expect(store.size).toBe(1)
  })
})

describe('idempotent() inside a consumer', () => {
  it('a message redelivered after its work was done (the delete was lost) does not do the work twice', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'idem', { VisibilityTimeout: '30' })
    const payments = queue(url, { client, bodyFormat: 'raw' })
    await payments.send('charge-1')
    const store = new MemoryIdempotencyStore()
    let charges = 0
    let deliveries = 0
    const consumer = consume(payments, async (message) => {
      deliveries++
      await idempotent(store, idempotencyKey(message), () => ++charges)
      // the first delivery "crashes" after the charge, before the delete
      if (deliveries === 1) throw new Error('crash after the side effect')
    }, { waitTimeSeconds: 1, retryBackoff: () => 0 })
    await waitUntil('deleted after the redelivery', () => consumer.stats.deleted === 1)
    await consumer.stop()
    expect(deliveries).toBe(2)
    expect(charges).toBe(1)
  })
})
