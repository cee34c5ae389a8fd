/** Load: 10 producers and 50 consumers against three instances for a bounded time; nothing lost, nothing doubled, memory flat. */
import type { SQS } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { sqsClient } from '../../bench/support/sqs-client.js'
import { sleep } from '../../bench/support/stats.js'
import { uniqueQueueName } from '../support/clients.js'
import { startCluster, type Cluster } from './support/cluster.js'
import { Ledger } from './support/ledger.js'
import { describeReliability, report, scaled, timeout } from './support/mode.js'
import { consume, newTraffic, produceStandard, type Loop } from './support/workers.js'

const mb = 1024 * 1024
const visibilitySeconds = 30
const loadMs = scaled(15_000, 120_000)

describeReliability('load: 10 producers, 50 consumers, 3 instances', () => {
  let cluster: Cluster
  beforeAll(async () => {
    cluster = await startCluster(3)
  }, timeout)
  afterAll(() => cluster?.stop(), timeout)

  it('delivers every acknowledged message, none twice within its visibility timeout, with flat memory', async () => {
    const clients: SQS[] = []
    const client = () => (clients.push(sqsClient(() => cluster.live(), { maxAttempts: 4 })), clients.at(-1)!)
    const { QueueUrl } = await client().createQueue({ QueueName: uniqueQueueName('load'), Attributes: { VisibilityTimeout: String(visibilitySeconds) } })
    const ledger = new Ledger()
    const traffic = newTraffic()
    const stop = new AbortController()
    const drainUntil = { at: Number.POSITIVE_INFINITY }
    // every acknowledged send deleted; a quiet queue only ends the drain at the deadline (visibility is 30 s here)
    const done = () => stop.signal.aborted && (ledger.drained(Number.POSITIVE_INFINITY) || performance.now() > drainUntil.at)
    const loop = (): Loop => ({ client: client(), queueUrl: QueueUrl!, ledger, traffic })
    const started = performance.now()
    const work = [
      ...Array.from({ length: 10 }, (_, p) => produceStandard(loop(), `p${p}`, stop.signal)),
      // 5 s polls: an idle DQS long poll re-reads every shard on a backoff, and 50 one-second polls would swamp DynamoDB Local
      ...Array.from({ length: 50 }, () => consume(loop(), done, 5)),
    ]
    // memory is compared between the end of the warm-up and the end of the load
    await sleep(loadMs / 4)
    const rssWarm = cluster.rss()
    await sleep((loadMs * 3) / 4)
    const rssEnd = cluster.rss()
    stop.abort()
    drainUntil.at = performance.now() + 60_000
    await Promise.all(work)
    for (const c of clients) c.destroy()
    const summary = ledger.summary(visibilitySeconds * 1000)
    const seconds = (performance.now() - started) / 1000
    const growthMB = rssEnd.map((end, i) => (end - rssWarm[i]!) / mb)
    report('load', {
      seconds, producers: 10, consumers: 50, instances: 3, ...traffic, ...summary, deliveredPerSecond: summary.deliveries / seconds,
      rssWarmMB: rssWarm.map((r) => Math.round(r / mb)), rssEndMB: rssEnd.map((r) => Math.round(r / mb)), growthMB,
      drainTimedOut: performance.now() > drainUntil.at,
    })
    expect(summary.acknowledged).toBeGreaterThan(0)
    expect(summary).toMatchObject({ lost: 0, undeleted: 0, duplicatesWithinVisibility: 0 })
    for (const growth of growthMB) expect(growth).toBeLessThan(scaled(96, 128))
  })
})
