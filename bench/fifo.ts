/**
 * @module bench/fifo — FIFO throughput with 1, 10 and 100 message groups, and DynamoDB units per message, at the
 * engine (no HTTP) on a fresh DynamoDB Local: `npx tsx bench/fifo.ts [--messages 2000] [--consumers 20] [--compressible]`.
 * Send: producers (one per group, at most 10) send batches of 10 into their groups. Consume: consumers long-poll
 * (1 s) for up to 10 (visibility 60 s) and delete what they got, as DeleteMessageBatch does, until all are done.
 * Units: as DynamoDB Local reports them and as AWS bills them (bench/support/capacity-meter.ts: transactions 2× per
 * item, failed conditions billed, reads rounded up).
 */
import { startDynamoLocal } from '@dqs/server'
import { Engine, createDb, ensureTables, systemClock, tableNames, type Queue } from '@dqs/core'
import { randomBytes } from 'node:crypto'
import { loadavg } from 'node:os'
import { makeBody, type BodyKind } from './support/bodies.js'
import { CapacityMeter } from './support/capacity-meter.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}
const messages = argument('messages', 2000)
const consumers = argument('consumers', 20)
const kind: BodyKind = process.argv.includes('--compressible') ? 'compressible' : 'incompressible'
const body = () => makeBody(kind, randomBytes(6).toString('hex'))

async function main() {
  const dynamo = await startDynamoLocal()
  const meter = new CapacityMeter()
  const db = meter.wrap(createDb({ endpoint: dynamo.endpoint, region: 'us-east-1' }))
  const tables = tableNames(`bench-fifo-${randomBytes(3).toString('hex')}`)
  await ensureTables(db, tables)
  const engine = new Engine({
    db, tables, clock: systemClock,
    config: { region: 'us-east-1', purgeCooldownMs: 60_000, deletedQueueCooldownMs: 60_000, receiptKey: 'bench', queueCacheMs: 1000, shards: 4 },
  })
  console.log(`FIFO bench: ${messages} ${kind} messages of 1 KiB, ${consumers} consumers, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  const rows = []
  try {
    // a fresh JVM runs several times slower until its JIT warms up: one unmeasured round first
    await runGroups(engine, meter, 10, Math.min(500, messages))
    for (const groups of [1, 10, 100]) rows.push(await runGroups(engine, meter, groups, messages))
    console.table(rows)
    console.log(`idle 20 s long poll on an empty FIFO queue: ${(await idlePoll(engine, meter)).toFixed(1)} RRU (AWS)`)
  } finally {
    await dynamo.stop()
  }
}

/** Read units one long poll of 20 s spends on a FIFO queue with nothing to receive. */
async function idlePoll(engine: Engine, meter: CapacityMeter) {
  const queue = await engine.createQueue({ accountId: '000000000000', name: `idle-${randomBytes(4).toString('hex')}.fifo`, attributes: { FifoQueue: 'true' }, tags: {} })
  meter.reset()
  await meter.scope.run('idle', () => engine.receiveMessages(queue, { maxNumberOfMessages: 10, waitTimeSeconds: 20 }))
  return meter.sum((k) => k.action === 'idle' && k.kind === 'read')
}

async function runGroups(engine: Engine, meter: CapacityMeter, groups: number, total: number) {
  const queue = await engine.createQueue({ accountId: '000000000000', name: `bench-${groups}-${randomBytes(4).toString('hex')}.fifo`, attributes: { FifoQueue: 'true' }, tags: {} })
  meter.reset()
  const sendStarted = performance.now()
  await meter.scope.run('send', () => produce(engine, queue, groups, total))
  const sendSeconds = (performance.now() - sendStarted) / 1000
  const consumeStarted = performance.now()
  const empty = await consume(engine, meter, queue, total)
  const consumeSeconds = (performance.now() - consumeStarted) / 1000
  const units = (action: string, kind: 'read' | 'write') => meter.sum((k) => k.action === action && k.kind === kind) / total
  const local = (action: string, kind: 'read' | 'write') => meter.sum((k) => k.action === action && k.kind === kind, 'reported') / total
  const failed = meter.sum((k) => k.failed, 'calls') / total
  const wru = ['send', 'receive', 'delete'].map((a) => units(a, 'write'))
  const rru = ['send', 'receive', 'delete'].map((a) => units(a, 'read'))
  return {
    groups,
    'send msg/s': Math.round(total / sendSeconds),
    'consume msg/s': Math.round(total / consumeSeconds),
    'empty receives': empty,
    'failed writes/msg': failed.toFixed(2),
    'WRU send/recv/del (AWS)': wru.map((u) => u.toFixed(2)).join(' / '),
    'WRU total (AWS)': wru.reduce((a, b) => a + b, 0).toFixed(2),
    'WRU total (Local)': ['send', 'receive', 'delete'].reduce((sum, a) => sum + local(a, 'write'), 0).toFixed(2),
    'RRU send/recv/del (AWS)': rru.map((u) => u.toFixed(2)).join(' / '),
  }
}

/** One producer per group (at most 10 at once), each sending its groups' messages in batches of 10. */
async function produce(engine: Engine, queue: Queue, groups: number, total: number) {
  const producers = Math.min(groups, 10)
  await Promise.all(Array.from({ length: producers }, async (_, p) => {
    for (let g = p; g < groups; g += producers) {
      const count = Math.floor(total / groups)
      for (let start = 0; start < count; start += 10) {
        const entries = Array.from({ length: Math.min(10, count - start) }, (_, i) => ({
          body: body(), messageGroupId: `g${g}`, messageDeduplicationId: `g${g}-${start + i}`,
        }))
        const results = await engine.sendMessages(queue, entries, 'bench', { batch: true })
        if (results.some((r) => !r.ok)) throw new Error(`send failed: ${JSON.stringify(results.find((r) => !r.ok))}`)
      }
    }
  }))
}

/** Consumers until every message is deleted; returns the number of receives that came back empty. */
async function consume(engine: Engine, meter: CapacityMeter, queue: Queue, total: number) {
  let done = 0
  let empty = 0
  await Promise.all(Array.from({ length: consumers }, async () => {
    while (done < total) {
      const got = await meter.scope.run('receive', () => engine.receiveMessages(queue, { maxNumberOfMessages: 10, visibilityTimeout: 60, waitTimeSeconds: 1 }))
      if (!got.length) {
        empty++
        continue
      }
      await meter.scope.run('delete', () => Promise.all(got.map((m) => engine.deleteMessage(queue, m.receiptHandle))))
      done += got.length
    }
  }))
  return empty
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
