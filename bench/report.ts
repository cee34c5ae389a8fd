/** @module bench/report — the benchmark's results as JSON and as a table, with what each figure means against its target. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { prices, type CostRow, type IdlePoll, type sqsCost } from './scenarios/cost.js'
import type { LatencyResult } from './scenarios/latency.js'
import { round } from './support/stats.js'

export const targets = { standardToFloor: 0.7, sameInstanceP50Ms: 20, crossInstanceBackoffCapMs: 1000 }

export interface BenchResults {
  mode: 'quick' | 'full'
  startedAt: string
  seconds: number
  machine: { cpus: number; loadAverage: number[]; node: string }
  setup: { producers: number; consumers: number; shards: number; bodyBytes: number; batch: number; windowMs: number }
  throughput: {
    /** messages/s per round, floor and DQS standard alternating */
    floor: number[]
    standard: number[]
    ratioPerRound: number[]
    ratio?: number
    /** DynamoDB calls per message the floor made (producers' per message sent + consumers' per message deleted) */
    floorRequestsPerMessage: number[]
    /** per round: CPU ms per message of the bench's clients, DynamoDB Local and (standard) the DQS server process */
    cpuMsPerMessage: { floor: Array<Record<string, number>>; standard: Array<Record<string, number>> }
    errors: { floor: number; standard: number; first?: string }
  }
  fifo: { available: boolean; reason?: string; groups: Array<{ groups: number; messagesPerSecond: number; ratioToStandard: number; cpuMsPerMessage: Record<string, number>; errors: number }> }
  latency: { sameInstance?: LatencyResult; crossInstance?: LatencyResult }
  cost: { rows: CostRow[]; idlePoll?: IdlePoll; sqs: typeof sqsCost }
  skipped: string[]
  notes: string[]
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length

/** Mean CPU ms per message by process over rounds, as `clients 0.4, dqs 1.2, dynamodb 0.9`. */
function cpuText(rounds: Array<Record<string, number>>) {
  const measured = rounds.filter((r) => Object.keys(r).length)
  const names = Object.keys(measured[0] ?? {})
  return names.map((name) => `${name} ${round(mean(measured.map((r) => r[name] ?? 0)), 2)}`).join(', ') || 'n/a (nothing completed)'
}

/** Ratios from the per-round figures, and a note for every figure that misses its target, saying what the data shows. */
export function conclude(results: BenchResults) {
  const { throughput: t, latency, cost, notes } = results
  if (t.floor.length && t.standard.length) t.ratio = mean(t.standard) / mean(t.floor)
  if (t.ratio !== undefined && t.ratio < targets.standardToFloor) {
    const batched = cost.rows.find((r) => r.pattern === 'batched' && r.body === 'incompressible')
    const requests = batched?.dynamoRequestsPerMessage
    notes.push(`standard reached ${round(t.ratio)} × the floor (target ${targets.standardToFloor}).` + (requests
      ? ` DQS made ${round(requests.send + requests.receive + requests.delete)} DynamoDB requests per message (send ${round(requests.send)}, receive ${round(requests.receive)}, delete ${round(requests.delete)}: DeleteMessageBatch deletes entry by entry where one BatchWriteItem per batch would do); the floor made ${round(mean(t.floorRequestsPerMessage))} (0.1 batch put, a share of a query, 1 claim, 0.1 batch delete, plus empty queries when its producers fall behind).`
      : '') + ` CPU per message — floor: ${cpuText(t.cpuMsPerMessage.floor)}; DQS: ${cpuText(t.cpuMsPerMessage.standard)} ms; on ${results.machine.cpus} shared cores every CPU ms the DQS server and the SQS SDK spend is taken from DynamoDB Local.`)
  }
  const same = latency.sameInstance
  if (same && same.p50 > targets.sameInstanceP50Ms) {
    notes.push(`same-instance p50 ${round(same.p50, 1)} ms is over the ${targets.sameInstanceP50Ms} ms target: after the send's round trip, the woken poll reads shards in random order (~${(results.setup.shards + 1) / 2} queries) before its claim; the p99 (${round(same.p99, 0)} ms) is a lost wake-up — a send that lands while the poll is mid-attempt waits for the next backoff tick (docs/benchmarks.md, Findings 1).`)
  }
  const cross = latency.crossInstance
  if (cross) notes.push(`cross-instance p50 ${round(cross.p50)} ms / p99 ${round(cross.p99)} ms: an idle consumer on another instance re-queries every ${targets.crossInstanceBackoffCapMs} ms at most, so p50 ≈ half the cap; a shared wake-up signal (e.g. a DynamoDB stream or a tiny "last send" item read with the poll) would cut it.`)
  for (const row of cost.rows) {
    const sqs = row.pattern === 'batched' ? cost.sqs.batchedDollarsPerMillion : cost.sqs.unbatchedDollarsPerMillion
    if (row.dollarsPerMillion > sqs) notes.push(`${row.body} ${row.pattern}${row.fifoGroups ? ' FIFO' : ''}: $${round(row.dollarsPerMillion)} per million messages on DynamoDB on-demand vs $${round(sqs)} on SQS (${round(row.dollarsPerMillion / sqs, 1)}×): ${round(row.wru.total, 1)} WRU per message at $${prices.wru}/M is the bill; only fewer or smaller writes lower it.`)
  }
  if (cost.idlePoll && cost.idlePoll.dollarsPerMonth > cost.sqs.idlePollDollarsPerMonth) {
    notes.push(`an idle long poll reads ${round(cost.idlePoll.rruPerSecond)} RRU/s ($${round(cost.idlePoll.dollarsPerMonth)} per poller-month vs $${round(cost.sqs.idlePollDollarsPerMonth, 3)} on SQS): every re-query reads every shard.`)
  }
}

const pad = (text: string | number, width: number) => String(text).padStart(width)
const ms = (value: number) => `${round(value, 1)} ms`

export function formatTable(r: BenchResults): string {
  const lines: string[] = []
  const t = r.throughput
  lines.push(`DQS benchmark (${r.mode}) — ${r.startedAt}, ${r.machine.cpus} CPUs, load ${r.machine.loadAverage.map((l) => round(l, 1)).join(' ')}, ${round(r.seconds, 0)} s`)
  lines.push(`Throughput, ${r.setup.bodyBytes} B bodies: ${r.setup.producers} producers × batches of ${r.setup.batch}, ${r.setup.consumers} consumers × receive ${r.setup.batch} + batch delete, ${r.setup.shards} shards, ${r.setup.windowMs / 1000} s windows`)
  lines.push(`  DynamoDB floor         ${pad(round(mean(t.floor), 0), 7)} msg/s   rounds ${t.floor.map((v) => round(v, 0)).join(', ')}; ${round(mean(t.floorRequestsPerMessage))} DynamoDB requests/msg`)
  lines.push(`    CPU ms per message: ${cpuText(t.cpuMsPerMessage.floor)}`)
  if (t.ratio !== undefined) {
    lines.push(`  DQS standard           ${pad(round(mean(t.standard), 0), 7)} msg/s   ${round(t.ratio)} × floor (target ≥ ${targets.standardToFloor}: ${t.ratio >= targets.standardToFloor ? 'met' : 'MISSED'}), rounds ${t.ratioPerRound.map((v) => round(v)).join(', ')}`)
    lines.push(`    CPU ms per message: ${cpuText(t.cpuMsPerMessage.standard)}`)
  }
  if (!r.fifo.available) lines.push(`  DQS FIFO               not measured: ${r.fifo.reason}`)
  for (const g of r.fifo.groups) lines.push(`  DQS FIFO ${pad(g.groups, 3)} group(s) ${pad(round(g.messagesPerSecond, 0), 7)} msg/s   ${round(g.ratioToStandard)} × standard; CPU ms/msg: ${cpuText([g.cpuMsPerMessage])}`)
  lines.push('Latency send → receive, consumer already long-polling')
  for (const [name, l] of [['same instance', r.latency.sameInstance], ['across instances', r.latency.crossInstance]] as const) {
    if (l) lines.push(`  ${name.padEnd(20)} p50 ${pad(ms(l.p50), 10)}  p99 ${pad(ms(l.p99), 10)}  (${l.samples} samples)${name === 'same instance' ? `  target p50 ≤ ${targets.sameInstanceP50Ms} ms: ${l.p50 <= targets.sameInstanceP50Ms ? 'met' : 'MISSED'}` : ''}`)
  }
  lines.push('Cost per message, send + receive + delete (AWS billing: reads ≥ 0.5 RRU, transactions 2× per item, failed conditions billed)')
  lines.push('  body            pattern     WRU send  recv  failed  delete  total   RRU    $/M msgs   SQS $/M   DDB requests/msg')
  for (const c of r.cost.rows) {
    const sqs = c.pattern === 'batched' ? r.cost.sqs.batchedDollarsPerMillion : r.cost.sqs.unbatchedDollarsPerMillion
    const requests = c.dynamoRequestsPerMessage
    lines.push(`  ${(c.body + (c.fifoGroups ? ' FIFO' : '')).padEnd(15)} ${c.pattern.padEnd(10)} ${pad(round(c.wru.send), 9)} ${pad(round(c.wru.receive), 5)} ${pad(round(c.wru.failedConditions), 7)} ${pad(round(c.wru.delete), 7)} ${pad(round(c.wru.total), 6)} ${pad(round(c.rru), 6)} ${pad(round(c.dollarsPerMillion), 10)} ${pad(round(sqs), 9)}   ${round(requests.send + requests.receive + requests.delete)}`)
  }
  const idle = r.cost.idlePoll
  if (idle) lines.push(`  idle long poll: ${round(idle.queriesPerSecond)} queries/s, ${round(idle.rruPerSecond)} RRU/s = $${round(idle.dollarsPerMonth)} per poller-month (SQS: $${round(r.cost.sqs.idlePollDollarsPerMonth, 3)})`)
  for (const s of r.skipped) lines.push(`Skipped: ${s}`)
  for (const n of r.notes) lines.push(`Note: ${n}`)
  return lines.join('\n')
}

export function writeResults(results: BenchResults): string {
  const directory = fileURLToPath(new URL('./results/', import.meta.url))
  mkdirSync(directory, { recursive: true })
  const path = `${directory}latest.json`
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`)
  return path
}
