import { CreateTableCommand, DynamoDBClient, GetItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb'
import { consume, idempotencyKey, idempotent, IdempotencyConflict, MemoryIdempotencyStore, queue, type IdempotencyStore } from '@dqs/client'
import { DynamoDBIdempotencyStore } from '@dqs/client/dynamodb'
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createQueue, sqsClient, waitUntil } from './support.js'

const dynamo = new DynamoDBClient({
  endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
})
const tableName = `idempotency-${randomBytes(6).toString('hex')}`

beforeAll(async () => {
  // the table the store documents: partition key pk, Time to Live on ttl
  await dynamo.send(new CreateTableCommand({
    TableName: tableName, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  }))
  await dynamo.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }))
})

/** A manual clock a month ahead: DynamoDB Local's TTL deletes by its own clock, and must not act during a test. */
function manualClock() {
  const clock = { ms: Date.now() + 30 * 86_400_000, now: () => clock.ms }
  return clock
}

/** Keys no other test uses: the DynamoDB table is shared by the file. */
const keyPrefix = () => randomBytes(6).toString('hex')

const stores: Array<{ name: string; create: (now?: () => number) => IdempotencyStore }> = [
  { name: 'MemoryIdempotencyStore', create: (now) => new MemoryIdempotencyStore({ now }) },
  { name: 'DynamoDBIdempotencyStore', create: (now) => new DynamoDBIdempotencyStore({ client: dynamo, tableName, now }) },
]

describe.each(stores)('idempotent() with $name', ({ create }) => {
  it('runs the work once per key and returns the stored result (a JSON value) to later calls', async () => {
    const store = create()
    const k = keyPrefix()
    let runs = 0
    const work = async () => ({ charge: ++runs, items: ['a', 'b'] })
    expect(await idempotent(store, `${k}-1`, work)).toEqual({ charge: 1, items: ['a', 'b'] })
    expect(await idempotent(store, `${k}-1`, work)).toEqual({ charge: 1, items: ['a', 'b'] })
    expect(await idempotent(store, `${k}-2`, work)).toEqual({ charge: 2, items: ['a', 'b'] })
    expect(await idempotent(store, `${k}-void`, () => undefined)).toBeUndefined()
    expect(await idempotent(store, `${k}-void`, () => 'ran again')).toBeUndefined()
    expect(runs).toBe(2)
  })

  it('throws IdempotencyConflict while another call holds the key, and lets a call run again after a failure', async () => {
    const store = create()
    const k = keyPrefix()
    let finish!: () => void
    let started!: () => void
    const running = new Promise<void>((resolve) => (started = resolve))
    const first = idempotent(store, k, () => new Promise<string>((resolve) => {
      started()
      finish = () => resolve('done')
    }))
    await running
    await expect(idempotent(store, k, () => 'second')).rejects.toBeInstanceOf(IdempotencyConflict)
    finish()
    expect(await first).toBe('done')

    await expect(idempotent(store, `${k}-f`, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await idempotent(store, `${k}-f`, () => 'retried')).toBe('retried')
  })

  it('forgets completed keys after their TTL and abandoned claims after their lease', async () => {
    const clock = manualClock()
    const store = create(clock.now)
    const k = keyPrefix()
    const start = clock.ms
    let runs = 0
    await idempotent(store, k, () => ++runs, { ttlMs: 1_000 })
    clock.ms = start + 999
    await idempotent(store, k, () => ++runs, { ttlMs: 1_000 })
    expect(runs).toBe(1)
    clock.ms = start + 1_000
    await idempotent(store, k, () => ++runs, { ttlMs: 1_000 })
    expect(runs).toBe(2)

    // a holder that died: its claim blocks until the lease ends, then the key is free, and the dead holder's late
    // completion does not overwrite the new one
    const claim = await store.acquire(`${k}-dead`, 500)
    expect(claim.status).toBe('acquired')
    await expect(idempotent(store, `${k}-dead`, () => 'x', { leaseMs: 500 })).rejects.toBeInstanceOf(IdempotencyConflict)
    clock.ms += 500
    expect(await idempotent(store, `${k}-dead`, () => 'new', { leaseMs: 500 })).toBe('new')
    if (claim.status === 'acquired') {
      await store.complete(`${k}-dead`, claim.token, 'stale', 10_000)
      await store.release(`${k}-dead`, claim.token)
    }
    expect(await idempotent(store, `${k}-dead`, () => 'again')).toBe('new')
  })
})

describe('MemoryIdempotencyStore', () => {
  it('sweeps expired keys, so memory does not grow without bound', async () => {
    const clock = manualClock()
    const store = new MemoryIdempotencyStore({ now: clock.now })
    await idempotent(store, 'a', () => 1, { ttlMs: 1_000 })
    await store.acquire('b', 1_000)
    clock.ms += 100_000_000
    await store.acquire('fresh', 1)
    expect(store.size).toBe(1)
  })
})

describe('DynamoDBIdempotencyStore', () => {
  it('lets exactly one of many concurrent claims from several processes win', async () => {
    // separate instances, as separate consumer processes would have, on one table
    const processes = Array.from({ length: 3 }, () => new DynamoDBIdempotencyStore({ client: dynamo, tableName }))
    const key = keyPrefix()
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => processes[i % 3]!.acquire(key, 60_000)))
    expect(claims.filter((c) => c.status === 'acquired')).toHaveLength(1)
    expect(claims.filter((c) => c.status === 'in-progress')).toHaveLength(11)
  })

  it('keeps the expiry in ms for its conditions and in epoch seconds in `ttl`, for DynamoDB\'s Time to Live', async () => {
    const clock = manualClock()
    const store = new DynamoDBIdempotencyStore({ client: dynamo, tableName, now: clock.now })
    const key = keyPrefix()
    const claim = await store.acquire(key, 5_500)
    const read = async () => (await dynamo.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: key } }, ConsistentRead: true }))).Item
    expect(await read()).toMatchObject({
      status: { S: 'in-progress' }, expiresAt: { N: String(clock.ms + 5_500) }, ttl: { N: String(Math.ceil((clock.ms + 5_500) / 1000)) },
    })
    if (claim.status === 'acquired') await store.complete(key, claim.token, { ok: true }, 86_400_000)
    expect(await read()).toMatchObject({
      status: { S: 'completed' }, result: { S: '{"ok":true}' }, ttl: { N: String(Math.ceil((clock.ms + 86_400_000) / 1000)) },
    })
  })
})

describe.each(stores)('idempotent() inside a consumer, with $name', ({ create }) => {
  it('a message redelivered after its work was done (the delete was lost) does not do the work twice', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'idem', { VisibilityTimeout: '30' })
    const payments = queue(url, { client, bodyFormat: 'raw' })
    await payments.send('charge-1')
    const store = create()
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
