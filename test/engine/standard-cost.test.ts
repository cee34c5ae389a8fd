/** What a message costs in DynamoDB capacity: send + receive + delete, as DynamoDB reports it. */
import { randomBytes } from 'node:crypto'
import type { Queue } from '@dqs/core'
import { afterAll, describe, expect, it } from 'vitest'
import { meterCapacity } from '../support/capacity.js'
import { accountId } from '../support/clients.js'
import { testEngine } from '../support/engine.js'

const { engine, db, createQueue } = testEngine()
afterAll(() => db.destroy())

// every request asks DynamoDB for its consumed capacity, which the meter adds up by kind
const capacity = meterCapacity(db)

/** Mean capacity per message over `count` messages sent, received and deleted one by one. */
async function costPerMessage(queue: Queue, body: () => string, count = 10) {
  const before = capacity()
  for (let i = 0; i < count; i++) {
    const [sent] = await engine.sendMessages(queue, [{ body: body() }], accountId)
    expect(sent!.ok).toBe(true)
    // a long poll that finds the message at once: no in-flight bookkeeping on the measured path
    const [received] = await engine.receiveMessages(queue, { maxNumberOfMessages: 1, waitTimeSeconds: 1 })
    await engine.deleteMessage(queue, received!.receiptHandle)
  }
  const after = capacity()
  return { wru: (after.wru - before.wru) / count, rru: (after.rru - before.rru) / count, conditionFailures: after.conditionFailures - before.conditionFailures }
}

/** About 1 KiB of JSON, the typical compressible message. */
function orderJson() {
  const order = {
    orderId: randomBytes(8).toString('hex'), customer: { id: 4711, name: 'Ada Lovelace', email: 'ada@example.com' },
    items: Array.from({ length: 6 }, (_, i) => ({ sku: `SKU-${1000 + i}`, quantity: i + 1, unitPrice: 19.99, currency: 'EUR', warehouse: 'north' })),
    shipping: { street: 'Main Street 1', city: 'London', country: 'GB', method: 'express' }, status: 'paid',
  }
  return JSON.stringify(order).padEnd(1024, ' ')
}

// Each of the three writes also moves the message's entry in the `ready` index (~100 B: 1 WRU each for the put at send
// and the delete at delete, 2 for the claim's move): 4 WRU that buy receives whose reads do not grow with the number
// of messages in flight or delayed (storage/ready-index.ts).
describe('DynamoDB capacity per standard message (send + receive + delete of 1 KiB)', () => {
  it('costs at most 10 WRU for an incompressible body', async () => {
    const queue = await createQueue()
    const cost = await costPerMessage(queue, () => randomBytes(768).toString('base64'))
    console.info(`1 KiB random (base64) body: ${cost.wru} WRU + ${cost.rru} RRU per message, ${cost.conditionFailures} failed conditions`)
    expect(cost.wru).toBeLessThanOrEqual(10)
    expect(cost.conditionFailures).toBe(0)
  })

  it('costs at most 7 WRU for a JSON body that deflates under 1 KB', async () => {
    const queue = await createQueue()
    expect(orderJson()).toHaveLength(1024)
    const cost = await costPerMessage(queue, orderJson)
    console.info(`1 KiB JSON body: ${cost.wru} WRU + ${cost.rru} RRU per message, ${cost.conditionFailures} failed conditions`)
    expect(cost.wru).toBeLessThanOrEqual(7)
    expect(cost.conditionFailures).toBe(0)
  })
})
