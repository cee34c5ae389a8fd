/**
 * A send whose DynamoDB write may have been applied but whose answer was lost is never replayed by the DynamoDB
 * client: a replay after the message was received and deleted would put it back.
 */
import { createDb, Engine, ServiceUnavailable, type Queue } from '@dqs/core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startFaultProxy, type Fault, type FaultProxy } from '../reliability/support/fault-proxy.js'
import { accountId } from '../support/clients.js'
import { testEngine } from '../support/engine.js'

const direct = testEngine()
let proxy: FaultProxy
let throughProxy: Engine
let proxiedDb: ReturnType<typeof createDb>

beforeAll(async () => {
  proxy = await startFaultProxy(inject('dynamoEndpoint'))
  proxiedDb = createDb({ endpoint: proxy.url, region: 'us-east-1' })
  throughProxy = new Engine({ ...direct.engine.deps, db: proxiedDb })
})
afterAll(async () => {
  proxiedDb.destroy()
  direct.db.destroy()
  await proxy.close()
})

async function sendUnder(queue: Queue, fault: Fault, body: string) {
  proxy.setPlan({ rate: 1, faults: [fault] })
  const from = performance.now()
  const outcome = await throughProxy.sendMessages(queue, [{ body }], accountId).then(
    (results) => ({ results }),
    (error: unknown) => ({ error }),
  )
  proxy.setPlan(null)
  return { outcome, writes: proxy.forwardedBetween(from, performance.now(), ['BatchWriteItem']) }
}

describe('a send whose write outcome is unknown', () => {
  it.each(['error500-after', 'drop-after'] as const)('is written once, not replayed, and not acknowledged (%s)', async (fault) => {
    const queue = await direct.createQueue()
    const { outcome, writes } = await sendUnder(queue, fault, `ambiguous ${fault}`)
    expect(writes).toBe(1)
    expect('error' in outcome ? outcome.error : outcome.results[0]).not.toMatchObject({ ok: true })
    // the write did happen: the message is there to be received, once, and after its deletion it stays gone
    const [message] = await direct.receive(queue, { visibilityTimeout: 1 })
    expect(message?.body).toBe(`ambiguous ${fault}`)
    await direct.engine.deleteMessage(queue, message!.receiptHandle)
    direct.clock.advance(2_000)
    expect(await direct.receive(queue)).toEqual([])
  })

  it('is still retried by the client when DynamoDB refused it (throttling writes nothing)', async () => {
    const queue = await direct.createQueue()
    proxy.setPlan({ rate: 1, faults: ['throttle'] })
    const from = performance.now()
    const sending = throughProxy.sendMessages(queue, [{ body: 'throttled, then written' }], accountId)
    await new Promise((resolve) => setTimeout(resolve, 150))
    proxy.setPlan(null)
    const [result] = await sending
    expect(result).toMatchObject({ ok: true })
    expect(proxy.counts().requests).toBeGreaterThan(1)
    expect(proxy.forwardedBetween(from, performance.now(), ['BatchWriteItem'])).toBe(1)
    expect((await direct.receive(queue)).map((m) => m.body)).toEqual(['throttled, then written'])
  })

  it('fails with a retryable error for the caller', async () => {
    const queue = await direct.createQueue()
    const { outcome } = await sendUnder(queue, 'error500-after', 'retryable')
    const error = 'error' in outcome ? outcome.error : (outcome.results[0] as { error: unknown }).error
    const { sqsErrorOf } = await import('@dqs/core')
    expect(sqsErrorOf(error)).toBeInstanceOf(ServiceUnavailable)
  })
})
