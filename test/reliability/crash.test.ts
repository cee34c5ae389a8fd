/** Crash: SIGKILL one of several server processes again and again under steady load; nothing acknowledged may be lost. */
import type { SQS } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { probeFifo, type FifoSupport } from '../../bench/support/fifo-probe.js'
import { sqsClient } from '../../bench/support/sqs-client.js'
import { sleep } from '../../bench/support/stats.js'
import { uniqueQueueName } from '../support/clients.js'
import { startCluster, type Cluster } from './support/cluster.js'
import { Ledger } from './support/ledger.js'
import { describeReliability, report, scaled, timeout } from './support/mode.js'
import { consume, newTraffic, produceFifoGroup, produceStandard, type Loop } from './support/workers.js'

const instances = 3
const visibilitySeconds = 5
const loadMs = scaled(10_000, 90_000)
const crashes = scaled(2, 8)
const drainMs = 60_000
/** no delivery for this long after the load stops: whatever was received and not deleted would have come back */
const quietMs = (visibilitySeconds + 3) * 1000

describeReliability('crash: SIGKILL server processes under load', () => {
  let cluster: Cluster
  let fifo: FifoSupport
  beforeAll(async () => {
    cluster = await startCluster(instances)
    fifo = await probeFifo(sqsClient(cluster.live()[0]!))
  }, timeout)
  afterAll(() => cluster?.stop(), timeout)

  /** Kills a random live instance every loadMs / (crashes + 1) and restarts it 1.5 s later; returns the kills done. */
  async function crashRepeatedly(stop: AbortSignal) {
    let kills = 0
    while (kills < crashes && !stop.aborted) {
      await sleep(loadMs / (crashes + 1))
      const victim = Math.floor(Math.random() * instances)
      await cluster.crash(victim)
      kills++
      await sleep(1500)
      await cluster.restart(victim)
    }
    return kills
  }

  /** Producers run for loadMs while instances crash; consumers go on until every acknowledged send is deleted. */
  async function run(queueUrl: string, producers: Array<(loop: Loop, stop: AbortSignal) => Promise<void>>, consumers: number) {
    const ledger = new Ledger()
    const traffic = newTraffic()
    const clients: SQS[] = []
    const loop = (): Loop => {
      clients.push(sqsClient(() => cluster.live(), { maxAttempts: 4 }))
      return { client: clients.at(-1)!, queueUrl, ledger, traffic }
    }
    const stop = new AbortController()
    const drainUntil = { at: Number.POSITIVE_INFINITY }
    const done = () => stop.signal.aborted && (ledger.drained(quietMs) || performance.now() > drainUntil.at)
    const started = performance.now()
    const work = [
      ...producers.map((produce) => produce(loop(), stop.signal)),
      ...Array.from({ length: consumers }, () => consume(loop(), done)),
    ]
    const kills = crashRepeatedly(stop.signal)
    await sleep(loadMs)
    stop.abort()
    drainUntil.at = performance.now() + drainMs
    const killed = await kills
    await Promise.all(work)
    for (const client of clients) client.destroy()
    return { ledger, traffic, kills: killed, seconds: (performance.now() - started) / 1000, drainTimedOut: performance.now() > drainUntil.at }
  }

  it('delivers every acknowledged send of a standard queue, nothing twice within its visibility timeout', async () => {
    const admin = sqsClient(() => cluster.live(), { maxAttempts: 4 })
    const { QueueUrl } = await admin.createQueue({ QueueName: uniqueQueueName('crash'), Attributes: { VisibilityTimeout: String(visibilitySeconds) } })
    const producers = Array.from({ length: scaled(3, 4) }, (_, p) => (loop: Loop, stop: AbortSignal) => produceStandard(loop, `p${p}`, stop))
    const { ledger, traffic, kills, seconds, drainTimedOut } = await run(QueueUrl!, producers, scaled(4, 8))
    const summary = ledger.summary(visibilitySeconds * 1000)
    report('crash', { queue: 'standard', instances, kills, seconds, drainTimedOut, ...traffic, ...summary })
    expect(kills).toBeGreaterThan(0)
    expect(summary.acknowledged).toBeGreaterThan(0)
    expect(drainTimedOut).toBe(false)
    expect(summary).toMatchObject({ lost: 0, duplicatesWithinVisibility: 0 })
  })

  it('keeps FIFO order per group and loses nothing acknowledged', async (ctx) => {
    if (!fifo.ok) {
      report('crash', { queue: 'fifo', skipped: fifo.reason })
      return ctx.skip(`FIFO not available yet: ${fifo.reason}`)
    }
    const admin = sqsClient(() => cluster.live(), { maxAttempts: 4 })
    const { QueueUrl } = await admin.createQueue({
      QueueName: uniqueQueueName('crash', true), Attributes: { FifoQueue: 'true', VisibilityTimeout: String(visibilitySeconds) },
    })
    const producers = Array.from({ length: scaled(3, 6) }, (_, g) => (loop: Loop, stop: AbortSignal) => produceFifoGroup(loop, `g${g}`, stop))
    const { ledger, traffic, kills, seconds, drainTimedOut } = await run(QueueUrl!, producers, scaled(4, 6))
    const summary = ledger.summary(visibilitySeconds * 1000)
    const orderViolations = ledger.orderViolations()
    report('crash', { queue: 'fifo', instances, kills, seconds, drainTimedOut, ...traffic, ...summary, orderViolations })
    expect(drainTimedOut).toBe(false)
    expect(summary).toMatchObject({ lost: 0, duplicatesWithinVisibility: 0 })
    expect(orderViolations).toBe(0)
  })
})
