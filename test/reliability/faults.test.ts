/** Faults: DynamoDB throttles, fails, stalls and drops connections under DQS; clients see retryable 503s, never a false success, and nothing is lost. */
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { startServerProcess, type ServerProcess } from '../../bench/support/server-process.js'
import { sleep } from '../../bench/support/stats.js'
import { uniqueQueueName } from '../support/clients.js'
import { json, query } from './support/dialects.js'
import { startFaultProxy, type FaultPlan, type FaultProxy } from './support/fault-proxy.js'
import { Ledger } from './support/ledger.js'
import { describeReliability, report, scaled, timeout } from './support/mode.js'
import { ObservedClient } from './support/observed-client.js'
import { jsonRequest, send } from './support/raw-http.js'

const visibilitySeconds = 5
/** no delivery for this long after the faults stop: whatever was received and not deleted would have come back */
const quietMs = (visibilitySeconds + 3) * 1000
const phaseMs = scaled(4000, 15_000)
/** Each phase runs phaseMs under steady load; the outages let nothing through, `ambiguous` applies writes and loses the answer. */
const phases: Array<{ name: string; plan: FaultPlan }> = [
  { name: 'mixed', plan: { rate: 0.25, faults: ['throttle', 'error500', 'drop', 'error500-after', 'drop-after', 'latency'] } },
  { name: 'throttled', plan: { rate: 1, faults: ['throttle'] } },
  { name: 'failing', plan: { rate: 1, faults: ['error500'] } },
  { name: 'unreachable', plan: { rate: 1, faults: ['drop'] } },
  { name: 'ambiguous', plan: { rate: 0.5, faults: ['error500-after', 'drop-after'] } },
  { name: 'slow', plan: { rate: 1, faults: ['latency'], latencyMs: [50, 400] } },
]

describeReliability('faults: DynamoDB misbehaves under a DQS server', () => {
  let proxy: FaultProxy
  let server: ServerProcess
  beforeAll(async () => {
    proxy = await startFaultProxy(inject('dynamoEndpoint'))
    server = await startServerProcess({ dynamoEndpoint: proxy.url, tablePrefix: inject('tablePrefix') })
  }, timeout)
  afterAll(async () => {
    await server?.stop()
    await proxy?.close()
  }, timeout)

  it('answers 200 or a retryable 503 while DynamoDB fails, and delivers everything acknowledged once it recovers', async () => {
    const created = await send(server.url, jsonRequest('CreateQueue', { QueueName: uniqueQueueName('faults'), Attributes: { VisibilityTimeout: String(visibilitySeconds) } }))
    const queueUrl = (JSON.parse(created.text) as { QueueUrl: string }).QueueUrl
    const ledger = new Ledger()
    const client = new ObservedClient(server.url, proxy, ledger, queueUrl)
    const stop = new AbortController()
    const drainUntil = { at: Number.POSITIVE_INFINITY }
    const done = () => stop.signal.aborted && (ledger.drained(quietMs) || performance.now() > drainUntil.at)
    const work = [
      client.produce(json, 'json', stop.signal), client.produce(query, 'query', stop.signal),
      client.consume(json, done), client.consume(query, done), client.consume(json, done),
    ]
    const started = performance.now()
    for (const p of phases) {
      client.phase = p.name
      proxy.setPlan(p.plan)
      await sleep(phaseMs)
    }
    client.phase = 'recovered'
    proxy.setPlan(null)
    stop.abort()
    drainUntil.at = performance.now() + 60_000
    await Promise.all(work)
    const drainTimedOut = performance.now() > drainUntil.at
    const summary = ledger.summary(visibilitySeconds * 1000)
    report('faults', {
      seconds: (performance.now() - started) / 1000, dynamoRequests: proxy.counts().requests, faultsInjected: proxy.counts().injected,
      ...client.figures, byPhase: client.byPhase, ...summary, problems: client.problems, drainTimedOut,
    })
    if (client.figures.malformed) console.log(`server stderr:\n${server.errors().slice(-4000)}`)
    expect(client.problems).toEqual({})
    expect(client.figures.falseAcknowledgements).toBe(0)
    expect(client.figures.okWithoutDynamo).toBe(0)
    expect(drainTimedOut).toBe(false)
    expect(client.figures.unavailable).toBeGreaterThan(0)
    expect(summary.acknowledged).toBeGreaterThan(0)
    expect(summary).toMatchObject({ lost: 0, duplicatesWithinVisibility: 0 })
  })
})
