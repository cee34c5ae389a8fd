/**
 * @module bench/scenarios/in-flight — what a receive costs with thousands of messages in flight on its queue, and
 * what many idle long polls on one queue cost, through the SQS API on the metered in-process DQS.
 */
import type { Message, SQS } from '@aws-sdk/client-sqs'
import { randomBytes } from 'node:crypto'
import { keyOf, makeBody } from '../support/bodies.js'
import type { TallyKey } from '../support/capacity-meter.js'
import { ownCpuSeconds } from '../support/cpu.js'
import { repeat } from '../support/load-loop.js'
import { sqsClient } from '../support/sqs-client.js'
import { percentile } from '../support/stats.js'
import type { MeteredServer } from './cost.js'

export interface InFlightOptions {
  /** messages held in flight (received with VisibilityTimeout 3600, never deleted) before each level's receives */
  levels: number[]
  /** visible messages while receives are measured, kept at this size by replacing what each receive took */
  backlog: number
  receives: number
  /** SendMessageBatch (then ReceiveMessage) calls in flight while a level is set up */
  parallel: number
}

export interface InFlightLevel {
  inFlight: number
  setupSeconds: number
  receives: number
  /** receives that came back with nothing although `backlog` messages were visible */
  emptyReceives: number
  /** messages returned that were not from the visible backlog: an in-flight message delivered again */
  inFlightDelivered: number
  messagesPerReceive: number
  p50: number
  p99: number
  /** AWS-billed (reads ≥ 0.5 RRU each) and as DynamoDB Local reported it */
  rruPerReceive: number
  reportedRruPerReceive: number
  requestsPerReceive: number
  /** this level's figure ÷ the 0-in-flight level's, filled in by the report */
  ratioToNone?: { rru: number; requests: number }
}

export interface IdlePollersOptions {
  pollers: number[]
  waitSeconds: number
}

export interface DynamoRates {
  requestsPerSecond: number
  queriesPerSecond: number
  /** as DynamoDB Local reported it, and as AWS bills it (every Query and GetItem ≥ 0.5 RRU) */
  reportedRruPerSecond: number
  billedRruPerSecond: number
}

export interface IdlePollers {
  pollers: number
  seconds: number
  errors: number
  /** polls that answered before the wait was over (with or without messages) */
  early: number
  /** from the polls' start to their end: each poll's first receive attempt included */
  whole: DynamoRates & { requestsPerPoll: number; billedRruPerPoll: number }
  /**
   * from `from` to `to` seconds after the start, when the polls only wait — unless their first attempts are still
   * queued (a DynamoDB Local too busy for them: `seconds` then runs well past the wait)
   */
  waiting: DynamoRates & { from: number; to: number }
  /** the bench process, which hosts the metered DQS: its CPU over the polls, and its peak RSS over the start */
  cpuMsPerSecond: number
  rssGrowthMb: number
}

const receiving = (k: TallyKey) => k.action === 'ReceiveMessage'
const newQueue = async (client: SQS, prefix: string) =>
  (await client.createQueue({ QueueName: `${prefix}-${randomBytes(4).toString('hex')}` })).QueueUrl!

async function sendBatch(client: SQS, QueueUrl: string, keys: string[]) {
  const { Failed = [] } = await client.sendMessageBatch({ QueueUrl, Entries: keys.map((key, i) => ({ Id: String(i), MessageBody: makeBody('incompressible', key) })) })
  if (Failed.length) throw new Error(`SendMessageBatch: ${Failed.length} failed (${Failed[0]!.Code}: ${Failed[0]!.Message})`)
}

/**
 * Sends `count` messages, then receives them all with VisibilityTimeout 3600 and keeps them: `count` messages stay in
 * flight for the rest of the run. Sends first, so that each receive finds a full batch.
 */
async function holdInFlight(client: SQS, QueueUrl: string, count: number, parallel: number) {
  await repeat(count / 10, parallel, () => sendBatch(client, QueueUrl, Array.from({ length: 10 }, () => 'held')))
  let hidden = 0
  const deadline = performance.now() + 300_000
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (hidden < count) {
      if (performance.now() > deadline) throw new Error(`only ${hidden} of ${count} messages put in flight in 300 s`)
      const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 3600, WaitTimeSeconds: 1 })
      hidden += Messages.length
    }
  }))
  return hidden
}

interface Level {
  QueueUrl: string
  held: number
  setupSeconds: number
  /** keys for `n` more backlog messages, told apart from the held ones by their prefix */
  visible(n: number): string[]
}

async function setUpLevel(helper: SQS, inFlight: number, options: InFlightOptions): Promise<Level> {
  const QueueUrl = await newQueue(helper, `in-flight-${inFlight}`)
  const started = performance.now()
  const held = inFlight ? await holdInFlight(helper, QueueUrl, inFlight, options.parallel) : 0
  let sequence = 0
  const visible = (n: number) => Array.from({ length: n }, () => `visible-${sequence++}`)
  await repeat(options.backlog / 10, options.parallel, () => sendBatch(helper, QueueUrl, visible(10)))
  return { QueueUrl, held, visible, setupSeconds: (performance.now() - started) / 1000 }
}

/**
 * One level on a queue of its own: `inFlight` hidden messages and a visible backlog, set up through `helperEndpoint`
 * (another DQS process, so those calls stay off the meter), then `receives` receives through the metered server.
 */
export async function measureInFlightLevel(metered: MeteredServer, helperEndpoint: string, inFlight: number, options: InFlightOptions) {
  const helper = sqsClient(helperEndpoint, { maxSockets: options.parallel + 10 })
  try {
    return await measureLevel(metered, helper, inFlight, options)
  } finally {
    helper.destroy()
  }
}

async function measureLevel(metered: MeteredServer, helper: SQS, inFlight: number, options: InFlightOptions): Promise<InFlightLevel> {
  const { QueueUrl, held, visible, setupSeconds } = await setUpLevel(helper, inFlight, options)
  const latencies: number[] = []
  const got = { messages: 0, empty: 0, inFlight: 0 }
  metered.meter.reset()
  // what each receive took is deleted and replaced, so the in-flight count and the backlog stay put; one batch at a
  // time behind the receives, as a consumer's deletes and a producer's sends would run beside them
  let behind = Promise.resolve()
  let failed: unknown
  for (let i = 0; i < options.receives; i++) {
    const started = performance.now()
    const { Messages = [] } = await metered.client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 })
    latencies.push(performance.now() - started)
    tally(got, Messages)
    if (Messages.length) behind = behind.then(() => replace(helper, QueueUrl, Messages, visible(Messages.length))).catch((error) => void (failed ??= error))
  }
  await behind
  if (failed) throw failed
  const reads = (k: TallyKey) => receiving(k) && k.kind === 'read'
  const per = (field: 'billed' | 'reported' | 'calls', match = receiving) => metered.meter.sum(match, field) / options.receives
  await helper.deleteQueue({ QueueUrl })
  return {
    inFlight: held, setupSeconds, receives: options.receives, emptyReceives: got.empty, inFlightDelivered: got.inFlight,
    messagesPerReceive: got.messages / options.receives, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
    rruPerReceive: per('billed', reads), reportedRruPerReceive: per('reported', reads), requestsPerReceive: per('calls'),
  }
}

async function replace(helper: SQS, QueueUrl: string, received: Message[], keys: string[]) {
  await Promise.all([
    helper.deleteMessageBatch({ QueueUrl, Entries: received.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle! })) }),
    sendBatch(helper, QueueUrl, keys),
  ])
}

function tally(got: { messages: number; empty: number; inFlight: number }, messages: Message[]) {
  got.messages += messages.length
  if (!messages.length) got.empty++
  got.inFlight += messages.filter((m) => !keyOf(m.Body ?? '').startsWith('visible-')).length
}

/** DynamoDB traffic of the metered DQS while `pollers` receives wait on one empty queue. */
async function measurePollers(metered: MeteredServer, client: SQS, pollers: number, waitSeconds: number): Promise<IdlePollers> {
  const QueueUrl = await newQueue(metered.client, `idle-${pollers}`)
  const rssBefore = process.memoryUsage().rss
  let rssPeak = rssBefore
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100)
  const cpuBefore = ownCpuSeconds()
  metered.meter.reset()
  const started = performance.now()
  // once every poll has made its first attempt, until shortly before they answer: what waiting alone costs
  const window = { from: waitSeconds * 0.4, to: waitSeconds * 0.9 }
  const marks = [window.from, window.to].map((at) => new Promise<Totals>((done) => setTimeout(() => done(totals(metered)), at * 1000)))
  const outcomes = await Promise.allSettled(Array.from({ length: pollers }, async () => {
    await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds })
    return performance.now() - started
  }))
  const seconds = (performance.now() - started) / 1000
  const cpuSeconds = ownCpuSeconds() - cpuBefore
  clearInterval(sampler)
  const [from, to] = await Promise.all(marks) as [Totals, Totals]
  const end = totals(metered)
  await metered.client.deleteQueue({ QueueUrl })
  return {
    pollers, seconds,
    errors: outcomes.filter((o) => o.status === 'rejected').length,
    early: outcomes.filter((o) => o.status === 'fulfilled' && o.value < waitSeconds * 1000 - 100).length,
    whole: { ...rates(zero, end, seconds), requestsPerPoll: end.calls / pollers, billedRruPerPoll: end.billed / pollers },
    waiting: { ...rates(from, to, window.to - window.from), ...window },
    cpuMsPerSecond: (cpuSeconds * 1000) / seconds,
    rssGrowthMb: (rssPeak - rssBefore) / 2 ** 20,
  }
}

type Totals = { calls: number; queries: number; reported: number; billed: number }
const zero: Totals = { calls: 0, queries: 0, reported: 0, billed: 0 }

function totals({ meter }: MeteredServer): Totals {
  const reads = (k: TallyKey) => k.kind === 'read'
  return {
    calls: meter.sum(() => true, 'calls'), queries: meter.sum((k) => k.operation === 'Query', 'calls'),
    reported: meter.sum(reads, 'reported'), billed: meter.sum(reads, 'billed'),
  }
}

const rates = (from: Totals, to: Totals, seconds: number): DynamoRates => ({
  requestsPerSecond: (to.calls - from.calls) / seconds,
  queriesPerSecond: (to.queries - from.queries) / seconds,
  reportedRruPerSecond: (to.reported - from.reported) / seconds,
  billedRruPerSecond: (to.billed - from.billed) / seconds,
})

/** K receives long-polling one empty queue at once, each on its own socket. */
export async function measureIdlePollers(metered: MeteredServer, pollers: number, waitSeconds: number): Promise<IdlePollers> {
  const client = sqsClient(metered.url, { maxSockets: pollers + 10 })
  try {
    return await measurePollers(metered, client, pollers, waitSeconds)
  } finally {
    client.destroy()
  }
}
