/** Faults: DynamoDB throttles, fails, stalls and drops connections under DQS; clients see retryable 503s, never a false success, and nothing is lost. */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { inject } from 'vitest'
import { startServerProcess, type ServerProcess } from '../../bench/support/server-process.js'
import { sleep } from '../../bench/support/stats.js'
import { uniqueQueueName } from '../support/clients.js'
import { json, query, type RawDialect } from './support/dialects.js'
import { startFaultProxy, type FaultPlan, type FaultProxy } from './support/fault-proxy.js'
import { bodyFor, Ledger } from './support/ledger.js'
import { describeReliability, report, scaled, timeout } from './support/mode.js'
import { jsonRequest, problemWith, send, type RawAnswer, type RawRequest } from './support/raw-http.js'

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
const writes = ['PutItem', 'BatchWriteItem', 'TransactWriteItems', 'UpdateItem', 'DeleteItem']
const dynamoOperations = [...writes, 'GetItem', 'Query', 'BatchGetItem']

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
    const figures = { requests: 0, ok: 0, unavailable: 0, malformed: 0, okWithoutDynamo: 0, falseAcknowledgements: 0, networkErrors: 0 }
    const problems = new Map<string, { count: number; sample: string }>()
    let phase = 'clean'
    const byPhase: Record<string, Record<string, number>> = {}

    /** One request: every answer is checked; a 503 is honoured (Retry-After) before the caller goes on. */
    async function call(dialect: RawDialect, raw: RawRequest): Promise<RawAnswer | null> {
      figures.requests++
      const requestedAt = performance.now()
      const answer = await send(server.url, raw).catch(() => null)
      if (!answer) {
        figures.networkErrors++
        return null
      }
      const tally = (byPhase[phase] ??= {})
      tally[answer.status] = (tally[answer.status] ?? 0) + 1
      const problem = problemWith(dialect.name, answer)
      if (problem) {
        figures.malformed++
        const key = `${phase}: ${problem}`
        problems.set(key, { count: (problems.get(key)?.count ?? 0) + 1, sample: answer.text.slice(0, 300) })
      }
      if (answer.status === 200) figures.ok++
      // every send, receive and delete reads or writes DynamoDB: a 200 while nothing got through swallowed an error
      if (answer.status === 200 && proxy.forwardedBetween(requestedAt, performance.now(), dynamoOperations) === 0) figures.okWithoutDynamo++
      if (answer.status === 503) {
        figures.unavailable++
        await sleep(Number(answer.headers['retry-after']) * 1000)
      }
      return answer.status === 200 ? answer : null
    }

    async function produce(dialect: RawDialect, prefix: string, stop: AbortSignal) {
      for (let n = 0; !stop.aborted; n++) {
        const keys = Array.from({ length: 10 }, (_, i) => `${prefix}-${n}-${i}`)
        const requestedAt = performance.now()
        const answer = await call(dialect, dialect.sendBatch(queueUrl, keys.map((key, i) => ({ Id: String(i), MessageBody: bodyFor(key) }))))
        const ok = new Set(answer ? dialect.successfulIds(answer.text) : [])
        // an acknowledgement while no write reached DynamoDB is a lie, whatever happens later
        if (ok.size && proxy.forwardedBetween(requestedAt, performance.now(), writes) === 0) figures.falseAcknowledgements += ok.size
        keys.forEach((key, i) => ledger.sent(key, ok.has(String(i))))
      }
    }

    async function consumeUntil(dialect: RawDialect, done: () => boolean) {
      while (!done()) {
        const requestedAt = performance.now()
        const answer = await call(dialect, dialect.receive(queueUrl, 1))
        const messages = answer ? dialect.messages(answer.text) : []
        ledger.received(messages, requestedAt, performance.now())
        if (messages.length === 0) continue
        const deleted = await call(dialect, dialect.deleteBatch(queueUrl, messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }))))
        const ok = new Set(deleted ? dialect.successfulIds(deleted.text) : [])
        ledger.deleted(messages.filter((_, i) => ok.has(String(i))).map((m) => m.Body))
      }
    }

    const stop = new AbortController()
    const drainUntil = { at: Number.POSITIVE_INFINITY }
    const done = () => stop.signal.aborted && (ledger.drained(quietMs) || performance.now() > drainUntil.at)
    const work = [
      produce(json, 'json', stop.signal), produce(query, 'query', stop.signal),
      consumeUntil(json, done), consumeUntil(query, done), consumeUntil(json, done),
    ]
    const started = performance.now()
    for (const p of phases) {
      phase = p.name
      proxy.setPlan(p.plan)
      await sleep(phaseMs)
    }
    phase = 'recovered'
    proxy.setPlan(null)
    stop.abort()
    drainUntil.at = performance.now() + 60_000
    await Promise.all(work)
    const summary = ledger.summary(visibilitySeconds * 1000)
    report('faults', {
      seconds: (performance.now() - started) / 1000, dynamoRequests: proxy.counts().requests, faultsInjected: proxy.counts().injected,
      ...figures, byPhase, ...summary, problems: Object.fromEntries(problems), drainTimedOut: performance.now() > drainUntil.at,
    })
    if (figures.malformed) console.log(`server stderr:\n${server.errors().slice(-4000)}`)
    expect(Object.fromEntries(problems)).toEqual({})
    expect(figures.falseAcknowledgements).toBe(0)
    expect(figures.okWithoutDynamo).toBe(0)
    expect(performance.now()).toBeLessThan(drainUntil.at)
    expect(figures.unavailable).toBeGreaterThan(0)
    expect(summary.acknowledged).toBeGreaterThan(0)
    expect(summary).toMatchObject({ lost: 0, duplicatesWithinVisibility: 0 })
  })
})
