/** Hostile input: property-based fuzzing of both dialects against a server process; every answer SQS-shaped, never a 500, memory bounded. */
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { startServerProcess, type ServerProcess } from '../../bench/support/server-process.js'
import { sleep } from '../../bench/support/stats.js'
import { uniqueQueueName } from '../support/clients.js'
import { expensiveRequest, hostileRequest } from './support/hostile-requests.js'
import type { Fixtures } from './support/hostile-values.js'
import { describeReliability, report, scaled, timeout } from './support/mode.js'
import { fuzz, sampled } from './support/fuzz.js'
import { jsonRequest, queryRequest, send, type RawRequest } from './support/raw-http.js'

const mb = 1024 * 1024
const seed = Number(process.env.DQS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))

/** Real queues and receipt handles to aim at, created over plain JSON. */
async function makeFixtures(url: string): Promise<Fixtures> {
  const call = async (action: string, input: unknown) => JSON.parse((await send(url, jsonRequest(action, input))).text) as { QueueUrl: string; Messages?: Array<{ ReceiptHandle: string }> }
  const { QueueUrl: standard } = await call('CreateQueue', { QueueName: uniqueQueueName('fuzz') })
  const { QueueUrl: fifo } = await call('CreateQueue', { QueueName: uniqueQueueName('fuzz', true), Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } })
  const { QueueUrl: victimQueue } = await call('CreateQueue', { QueueName: uniqueQueueName('fuzz-victim') })
  for (let i = 0; i < 10; i++) {
    await call('SendMessage', { QueueUrl: standard, MessageBody: `m${i}` })
    await call('SendMessage', { QueueUrl: fifo, MessageBody: `m${i}`, MessageGroupId: `g${i % 3}` })
  }
  const receiptHandles: string[] = []
  for (const QueueUrl of [standard, fifo]) {
    const { Messages = [] } = await call('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 })
    receiptHandles.push(...Messages.map((m) => m.ReceiptHandle))
  }
  return { readQueues: [standard, fifo], victimQueue, receiptHandles: receiptHandles.length ? receiptHandles : ['AQEB'] }
}

describeReliability('hostile input: fuzzing both dialects', () => {
  let server: ServerProcess
  let fixtures: Fixtures
  beforeAll(async () => {
    server = await startServerProcess({ dynamoEndpoint: inject('dynamoEndpoint'), tablePrefix: inject('tablePrefix') })
    fixtures = await makeFixtures(server.url)
  }, timeout)
  afterAll(() => server?.stop(), timeout)

  it('answers every request with an SQS success or a well-formed SQS error, never a 500, in bounded memory', async () => {
    const half = scaled(500, 5000)
    const requests = hostileRequest(fixtures)
    await fuzz(server.url, sampled(requests, 100, seed - 1000), 8) // warm-up: JIT, sockets, caches
    const rss = { before: server.rss()!, half: 0, peak: 0, after: 0 }
    const sampler = setInterval(() => (rss.peak = Math.max(rss.peak, server.rss() ?? 0)), 250)
    const findings = await fuzz(server.url, sampled(requests, half, seed), 8)
    rss.half = server.rss()!
    await fuzz(server.url, sampled(requests, half, seed + half), 8, findings)
    clearInterval(sampler)
    await sleep(2000)
    rss.after = server.rss()!
    report('hostile', {
      seed, requests: findings.sent, statuses: findings.statuses, problemKinds: findings.problems.size, unavailableKinds: findings.unavailable.size,
      rssBeforeMB: rss.before / mb, rssHalfMB: rss.half / mb, rssPeakMB: rss.peak / mb, rssAfterMB: rss.after / mb,
    })
    for (const line of findings.lines()) console.log(`[reliability:hostile] ${line}`)
    if (findings.problems.size) console.log(`server stderr:\n${server.errors().slice(-4000)}`)
    expect([...findings.problems.keys()]).toEqual([])
    // bounded: no growth across the second half, and no runaway peak
    expect(rss.after - rss.half).toBeLessThan(64 * mb)
    expect(rss.peak - rss.before).toBeLessThan(768 * mb)
  })

  it('answers requests whose bodies arrive slowly, chunk by chunk', async () => {
    const slow = [...sampled(hostileRequest(fixtures), scaled(10, 40), seed + 100_000)].map((r): RawRequest => {
      const body = Buffer.isBuffer(r.body) ? r.body : Buffer.concat(r.body.chunks)
      const size = Math.max(1, Math.ceil(body.length / 5))
      return { ...r, body: { chunks: Array.from({ length: Math.ceil(body.length / size) }, (_, i) => body.subarray(i * size, (i + 1) * size)), pauseMs: 150 } }
    }).filter((r) => r.method === 'POST')
    const findings = await fuzz(server.url, slow, 10)
    report('hostile-slow', { seed, requests: findings.sent, statuses: findings.statuses })
    for (const line of findings.lines()) console.log(`[reliability:hostile-slow] ${line}`)
    expect([...findings.problems.keys()]).toEqual([])
  })

  it('answers requests built to be expensive to read at once, without holding up other requests', async () => {
    // drawn up front: building bodies of megabytes here would slow the probe's own clock
    const requests = [...sampled(expensiveRequest(fixtures), scaled(30, 100), seed + 200_000)]
    // a request the server cannot answer fast blocks its event loop: a ListQueues probe running alongside shows it
    const probe = { slowestMs: 0, answers: 0, running: true }
    const probing = (async () => {
      while (probe.running) {
        const answer = await send(server.url, queryRequest({ Action: 'ListQueues', QueueNamePrefix: 'none' }))
        probe.slowestMs = Math.max(probe.slowestMs, answer.ms)
        probe.answers++
        await sleep(50)
      }
    })()
    const findings = await fuzz(server.url, requests, 4)
    probe.running = false
    await probing
    report('hostile-expensive', { seed, requests: findings.sent, statuses: findings.statuses, probes: probe.answers, slowestProbeMs: probe.slowestMs, rssAfterMB: server.rss()! / mb })
    for (const line of findings.lines()) console.log(`[reliability:hostile-expensive] ${line}`)
    expect([...findings.problems.keys()]).toEqual([])
    expect(probe.slowestMs).toBeLessThan(2000)
  })

  it('refuses bodies over the request limit with an SQS error, declared or streamed', async () => {
    const huge = (dialect: 'json' | 'query', bytes: number, streamed: boolean): RawRequest => {
      const body = dialect === 'json'
        ? Buffer.from(JSON.stringify({ QueueUrl: fixtures.readQueues[0], MessageBody: 'x'.repeat(bytes) }))
        : Buffer.from(new URLSearchParams({ Action: 'SendMessage', QueueUrl: fixtures.readQueues[0]!, MessageBody: 'x'.repeat(bytes) }).toString())
      const headers: Record<string, string> = dialect === 'json' ? { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' } : { 'content-type': 'application/x-www-form-urlencoded' }
      if (!streamed) return { method: 'POST', path: '/', headers, body }
      const chunks = Array.from({ length: Math.ceil(body.length / (256 * 1024)) }, (_, i) => body.subarray(i * 256 * 1024, (i + 1) * 256 * 1024))
      return { method: 'POST', path: '/', headers, body: { chunks, pauseMs: 1 } }
    }
    // 60 MB: the most a refused body is read (and dropped) before the server stops reading it is 64 MB
    const cases = [huge('json', 5 * mb, false), huge('query', 5 * mb, false), huge('json', 6 * mb, true), huge('query', 6 * mb, true), huge('json', 60 * mb, true), huge('query', 60 * mb, true)]
    const rss = { before: server.rss()!, peak: 0 }
    const sampler = setInterval(() => (rss.peak = Math.max(rss.peak, server.rss() ?? 0)), 20)
    const findings = await fuzz(server.url, cases, 2)
    clearInterval(sampler)
    rss.peak = Math.max(rss.peak, server.rss()!)
    report('hostile-huge', { requests: findings.sent, statuses: findings.statuses, rssBeforeMB: rss.before / mb, rssPeakMB: rss.peak / mb })
    for (const line of findings.lines()) console.log(`[reliability:hostile-huge] ${line}`)
    expect([...findings.problems.keys()]).toEqual([])
    expect(findings.statuses['200']).toBeUndefined()
    // a streamed body is counted as it arrives and dropped at the limit. Read whole, a 60 MB one would hold 120 MB
    // (its chunks and their concatenation) live at once; dropped, its chunks are garbage whose native memory V8
    // takes back once it has grown by 64 MB since the last collection, so the peak stays under that and the heap's noise
    expect(rss.peak - rss.before).toBeLessThan(96 * mb)
  })
})
