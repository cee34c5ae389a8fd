/** @module bench/report — the benchmark's results as JSON and as a table, with what each figure means against its target. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { prices, type CostRow, type IdlePoll, type sqsCost } from './scenarios/cost.js'
import type { EfficiencyRun, EfficiencyWindow, StartupTime } from './scenarios/efficiency.js'
import type { FollowerAlone } from './scenarios/follower-alone.js'
import type { IdlePollers, InFlightLevel } from './scenarios/in-flight.js'
import type { LatencyResult } from './scenarios/latency.js'
import { percentile, round } from './support/stats.js'

export const targets = {
  standardToFloor: 0.7, sameInstanceP50Ms: 20, crossInstanceP50Ms: 250, crossInstanceP99Ms: 1000,
  /** RRU and DynamoDB requests per receive with messages in flight, over the same with none */
  inFlightToNone: 2,
  /** AWS-billed RRU/s of one queue's waiting long polls, however many wait */
  idleQueueRruPerSecond: 0.3,
  /** the efficiency part: DynamoDB requests per message sent, received and deleted in batches of 10 */
  dynamoRequestsPerMessage: 0.5,
  /** the counts follower's CPU ms per message, in a server doing nothing else while another sends, receives, deletes */
  followerCpuMsPerMessage: 0.2,
  /** `npm start` until it answers, tables already made */
  startupSeconds: 2,
  /** the efficiency part: DQS CPU per message, follower on, settled window, over the baseline's (issue 15: ≤ 0.35 × bbdf054's) */
  cpuRatio: 0.35,
}

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
  /** one queue per level; then idle long polls, K at once on one queue (metered in-process DQS) */
  inFlight: { backlog: number; receives: number; levels: InFlightLevel[]; idleWaitSeconds: number; idlePollers: IdlePollers[] }
  /** as `npm start` runs: per tree (this checkout, and `--baseline=<dir>` when given) */
  efficiency?: { baseline?: string; runs: EfficiencyRun[]; startup: StartupTime[]; followerAlone?: FollowerAlone[] }
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
    notes.push(`same-instance p50 ${round(same.p50, 1)} ms is over the ${targets.sameInstanceP50Ms} ms target: after the send's round trip, the woken poll's receive queries the shard the send wrote to and claims, while the other consumers' next polls each query every shard (${results.setup.shards} queries), and each request waits its turn on DynamoDB Local's cores when the machine is loaded (load ${round(results.machine.loadAverage[0] ?? 0, 1)} at the start).`)
  }
  const cross = latency.crossInstance
  if (cross && (cross.p50 > targets.crossInstanceP50Ms || cross.p99 > targets.crossInstanceP99Ms)) {
    notes.push(`cross-instance p50 ${round(cross.p50)} ms / p99 ${round(cross.p99)} ms, against ${targets.crossInstanceP50Ms} / ${targets.crossInstanceP99Ms} ms: the waiting server hears of the send from the messages stream, read every 100 ms while polls wait, then receives; a loaded machine stretches each of those round trips.`)
  }
  for (const row of cost.rows) {
    const sqs = row.pattern === 'batched' ? cost.sqs.batchedDollarsPerMillion : cost.sqs.unbatchedDollarsPerMillion
    if (row.dollarsPerMillion > sqs) notes.push(`${row.body} ${row.pattern}${row.fifoGroups ? ' FIFO' : ''}: $${round(row.dollarsPerMillion)} per million messages on DynamoDB on-demand vs $${round(sqs)} on SQS (${round(row.dollarsPerMillion / sqs, 1)}×): ${round(row.wru.total, 1)} WRU per message at $${prices.wru}/M is the bill; only fewer or smaller writes lower it.`)
  }
  concludeInFlight(results)
  if (cost.idlePoll && cost.idlePoll.dollarsPerMonth > cost.sqs.idlePollDollarsPerMonth) {
    notes.push(`an idle long poll reads ${round(cost.idlePoll.rruPerSecond)} RRU/s ($${round(cost.idlePoll.dollarsPerMonth)} per poller-month vs $${round(cost.sqs.idlePollDollarsPerMonth, 3)} on SQS): its first look and a recheck each query every shard's two ranges in one query (4 queries, billed ≥ 0.5 RRU each); waiting polls share one watch, so many cost what one does.`)
  }
}

/** Each level's ratios to the 0-in-flight level, and notes for what misses a target or looks wrong. */
function concludeInFlight({ inFlight, latency, notes }: BenchResults) {
  const none = inFlight.levels.find((l) => l.inFlight === 0)
  for (const level of inFlight.levels) {
    if (none) level.ratioToNone = { rru: level.rruPerReceive / none.rruPerReceive, requests: level.requestsPerReceive / none.requestsPerReceive }
    const ratio = level.ratioToNone
    if (ratio && Math.max(ratio.rru, ratio.requests) > targets.inFlightToNone) {
      notes.push(`with ${level.inFlight} messages in flight a receive read ${round(level.rruPerReceive)} RRU in ${round(level.requestsPerReceive)} DynamoDB requests: ${round(ratio.rru)} × / ${round(ratio.requests)} × the figures with none (target ≤ ${targets.inFlightToNone} ×): the receive reads in-flight messages, or skips past them.`)
    }
    if (level.emptyReceives || level.inFlightDelivered || level.messagesPerReceive < 10) {
      notes.push(`with ${level.inFlight} in flight and ${inFlight.backlog} visible, ${level.receives} receives of up to 10 returned ${round(level.messagesPerReceive)} messages each on average, ${level.emptyReceives} returned nothing and ${level.inFlightDelivered} messages came back while still in flight (VisibilityTimeout 3600): each should return 10 visible ones.`)
    }
  }
  const cross = latency.crossInstance
  const wakeUp = cross ? ` Cross-instance wake-up in this run: p50 ${round(cross.p50, 0)} ms, p99 ${round(cross.p99, 0)} ms.` : ''
  for (const row of inFlight.idlePollers) {
    const { waiting: w, whole } = row
    if (w.billedRruPerSecond <= targets.idleQueueRruPerSecond) continue
    const overrun = overran(row, inFlight.idleWaitSeconds) ? `, though their first attempts were still queued then (the polls took ${round(row.seconds, 1)} s)` : ''
    notes.push(`${row.pollers} idle long poll(s) on one queue, ${w.from}–${w.to} s into their wait${overrun}: ${round(w.requestsPerSecond, 1)} DynamoDB requests/s (${round(w.queriesPerSecond, 1)} queries/s), ${round(w.billedRruPerSecond)} RRU/s as AWS bills reads (≥ 0.5 each; DynamoDB Local reported ${round(w.reportedRruPerSecond)}), against ≤ ${targets.idleQueueRruPerSecond} per queue whatever the number of polls. Each poll cost ${round(whole.requestsPerPoll, 1)} requests and ${round(whole.billedRruPerPoll)} RRU in all, its first receive attempt included.${wakeUp}`)
  }
  for (const row of inFlight.idlePollers.filter((r) => r.errors || r.early)) {
    notes.push(`of ${row.pollers} long polls (WaitTimeSeconds ${inFlight.idleWaitSeconds}) on an empty queue, ${row.errors} failed and ${row.early} answered before the wait was over.`)
  }
}

/** Polls that answered a second or more after their wait: their first attempts queued for a busy DynamoDB Local. */
const overran = (p: IdlePollers, waitSeconds: number) => p.seconds > waitSeconds + 1

const pad = (text: string | number, width: number) => String(text).padStart(width)
const ms = (value: number) => `${round(value, 1)} ms`

export function formatTable(r: BenchResults): string {
  const lines: string[] = []
  const t = r.throughput
  lines.push(`DQS benchmark (${r.mode}) — ${r.startedAt}, ${r.machine.cpus} CPUs, load ${r.machine.loadAverage.map((l) => round(l, 1)).join(' ')}, ${round(r.seconds, 0)} s`)
  // an efficiency-only run (--efficiency) measures none of these: its report is that part's table alone
  if (t.floor.length) lines.push(...throughputTable(r))
  if (r.latency.sameInstance || r.latency.crossInstance) lines.push(...latencyTable(r))
  if (r.cost.rows.length || r.cost.idlePoll) lines.push(...costTable(r))
  lines.push(...inFlightTable(r), ...idlePollersTable(r), ...efficiencyTable(r))
  for (const s of r.skipped) lines.push(`Skipped: ${s}`)
  for (const n of r.notes) lines.push(`Note: ${n}`)
  return lines.join('\n')
}

/** The floor, DQS standard and FIFO end to end, per round. */
function throughputTable(r: BenchResults): string[] {
  const lines: string[] = []
  const t = r.throughput
  lines.push(`Throughput, ${r.setup.bodyBytes} B bodies: ${r.setup.producers} producers × batches of ${r.setup.batch}, ${r.setup.consumers} consumers × receive ${r.setup.batch} + batch delete, ${r.setup.shards} shards, ${r.setup.windowMs / 1000} s windows`)
  lines.push(`  DynamoDB floor         ${pad(round(mean(t.floor), 0), 7)} msg/s   rounds ${t.floor.map((v) => round(v, 0)).join(', ')}; ${round(mean(t.floorRequestsPerMessage))} DynamoDB requests/msg`)
  lines.push(`    CPU ms per message: ${cpuText(t.cpuMsPerMessage.floor)}`)
  if (t.ratio !== undefined) {
    lines.push(`  DQS standard           ${pad(round(mean(t.standard), 0), 7)} msg/s   ${round(t.ratio)} × floor (target ≥ ${targets.standardToFloor}: ${t.ratio >= targets.standardToFloor ? 'met' : 'MISSED'}), rounds ${t.ratioPerRound.map((v) => round(v)).join(', ')}`)
    lines.push(`    CPU ms per message: ${cpuText(t.cpuMsPerMessage.standard)}`)
  }
  if (!r.fifo.available) lines.push(`  DQS FIFO               not measured: ${r.fifo.reason}`)
  for (const g of r.fifo.groups) lines.push(`  DQS FIFO ${pad(g.groups, 3)} group(s) ${pad(round(g.messagesPerSecond, 0), 7)} msg/s   ${round(g.ratioToStandard)} × standard; CPU ms/msg: ${cpuText([g.cpuMsPerMessage])}`)
  return lines
}

/** Send → receive latency, same instance and across instances. */
function latencyTable(r: BenchResults): string[] {
  const lines: string[] = []
  lines.push('Latency send → receive, consumer already long-polling')
  for (const [name, l] of [['same instance', r.latency.sameInstance], ['across instances', r.latency.crossInstance]] as const) {
    if (l) lines.push(`  ${name.padEnd(20)} p50 ${pad(ms(l.p50), 10)}  p99 ${pad(ms(l.p99), 10)}  (${l.samples} samples)${name === 'same instance' ? `  target p50 ≤ ${targets.sameInstanceP50Ms} ms: ${l.p50 <= targets.sameInstanceP50Ms ? 'met' : 'MISSED'}` : ''}`)
  }
  return lines
}

/** DynamoDB's bill per message, and an idle long poll's per month, beside SQS's. */
function costTable(r: BenchResults): string[] {
  const lines: string[] = []
  lines.push('Cost per message, send + receive + delete (AWS billing: reads ≥ 0.5 RRU, transactions 2× per item, failed conditions billed)')
  lines.push('  body            pattern     WRU send  recv  failed  delete  total   RRU    $/M msgs   SQS $/M   DDB requests/msg')
  for (const c of r.cost.rows) {
    const sqs = c.pattern === 'batched' ? r.cost.sqs.batchedDollarsPerMillion : r.cost.sqs.unbatchedDollarsPerMillion
    const requests = c.dynamoRequestsPerMessage
    lines.push(`  ${(c.body + (c.fifoGroups ? ' FIFO' : '')).padEnd(15)} ${c.pattern.padEnd(10)} ${pad(round(c.wru.send), 9)} ${pad(round(c.wru.receive), 5)} ${pad(round(c.wru.failedConditions), 7)} ${pad(round(c.wru.delete), 7)} ${pad(round(c.wru.total), 6)} ${pad(round(c.rru), 6)} ${pad(round(c.dollarsPerMillion), 10)} ${pad(round(sqs), 9)}   ${round(requests.send + requests.receive + requests.delete)}`)
  }
  const idle = r.cost.idlePoll
  if (idle) lines.push(`  idle long poll: ${round(idle.queriesPerSecond)} queries/s, ${round(idle.rruPerSecond)} RRU/s = $${round(idle.dollarsPerMonth)} per poller-month (SQS: $${round(r.cost.sqs.idlePollDollarsPerMonth, 3)})`)
  return lines
}

function inFlightTable({ inFlight }: BenchResults): string[] {
  const lines: string[] = []
  if (inFlight.levels.length) {
    lines.push(`Receive under in-flight load: one queue per level, ${inFlight.backlog} visible, ${inFlight.receives} × ReceiveMessage (10, WaitTimeSeconds 0); what each returns is deleted and replaced`)
    lines.push(`  in flight       p50        p99  msgs/recv  RRU/recv AWS (Local)  DDB req/recv  ÷ 0 in flight: RRU, req (target ≤ ${targets.inFlightToNone})  set-up`)
    for (const l of inFlight.levels) {
      const ratio = l.ratioToNone
      const verdict = ratio ? (Math.max(ratio.rru, ratio.requests) <= targets.inFlightToNone ? 'met' : 'MISSED') : ''
      const ratios = ratio ? `${round(ratio.rru)}, ${round(ratio.requests)}  ${verdict}` : 'n/a'
      lines.push(`  ${pad(l.inFlight, 9)} ${pad(ms(l.p50), 9)} ${pad(ms(l.p99), 10)} ${pad(round(l.messagesPerReceive, 1), 10)} ${pad(`${round(l.rruPerReceive)} (${round(l.reportedRruPerReceive)})`, 21)} ${pad(round(l.requestsPerReceive, 1), 13)}  ${ratios.padEnd(40)} ${pad(round(l.setupSeconds, 0), 4)} s`)
    }
  }
  return lines
}

function idlePollersTable({ inFlight, latency }: BenchResults): string[] {
  const lines: string[] = []
  if (inFlight.idlePollers.length) {
    const cross = latency.crossInstance
    lines.push(`Idle long polls, K at once on one empty queue (WaitTimeSeconds ${inFlight.idleWaitSeconds}, metered in-process DQS; CPU and RSS are the bench process's, which hosts it)`)
    if (cross) lines.push(`  wake-up across instances (above): p50 ${ms(cross.p50)}, p99 ${ms(cross.p99)}`)
    const from = inFlight.idlePollers[0]!.waiting
    lines.push(`      K   whole poll: s   req/poll  RRU/poll AWS  req/s  RRU/s AWS   waiting ${from.from}–${from.to} s: req/s  queries/s  RRU/s Local  RRU/s AWS (target ≤ ${targets.idleQueueRruPerSecond})  CPU ms/s  RSS +MB`)
    for (const p of inFlight.idlePollers) {
      const { waiting: w, whole } = p
      const verdict = (w.billedRruPerSecond <= targets.idleQueueRruPerSecond ? 'met' : 'MISSED') + (overran(p, inFlight.idleWaitSeconds) ? ' *' : '')
      lines.push(`  ${pad(p.pollers, 5)} ${pad(round(p.seconds, 1), 15)} ${pad(round(whole.requestsPerPoll, 1), 10)} ${pad(round(whole.billedRruPerPoll), 13)} ${pad(round(whole.requestsPerSecond, 1), 6)} ${pad(round(whole.billedRruPerSecond), 10)} ${pad(round(w.requestsPerSecond, 1), 24)} ${pad(round(w.queriesPerSecond, 1), 10)} ${pad(round(w.reportedRruPerSecond), 12)} ${pad(round(w.billedRruPerSecond), 10)} ${verdict.padEnd(17)} ${pad(round(p.cpuMsPerSecond, 0), 8)} ${pad(round(p.rssGrowthMb, 1), 8)}`)
    }
    if (inFlight.idlePollers.some((p) => overran(p, inFlight.idleWaitSeconds))) {
      lines.push(`  * the polls ran over their ${inFlight.idleWaitSeconds} s: first attempts were still queued for DynamoDB during the window, which then measures more than waiting`)
    }
  }
  return lines
}

/** When a window's runs were measured, as seconds after their load (and server) began: ` (5–25 s into the load)`. */
function whenMeasured(runs: EfficiencyWindow[]): string {
  const from = runs.map((run) => run.fromSeconds)
  const to = runs.map((run) => run.toSeconds)
  if (from.some((s) => s === undefined) || to.some((s) => s === undefined)) return ''
  return ` (${Math.round(Math.min(...from as number[]))}–${Math.round(Math.max(...to as number[]))} s into the load)`
}

/**
 * Per window (the first after the warm-up, and the settled one), tree and follower setting: each round's run, then
 * medians over the rounds; with a baseline, this checkout's figures over the baseline's in each round (the two ran
 * minutes apart on the same machine) and their median. The CPU target is the settled window's.
 */
function efficiencyTable({ efficiency }: BenchResults): string[] {
  if (!efficiency) return []
  const lines = [`Efficiency as \`npm start\` runs (10 × 1 KiB batches, 4 producers, 8 consumers; CPU from /proc over the window)${efficiency.baseline ? `; baseline: ${efficiency.baseline}` : ''}`]
  const windows: Array<{ label: string; of: (run: EfficiencyRun) => EfficiencyWindow | undefined; target: boolean; note: string }> = [
    { label: 'first window', of: (run) => run, target: false, note: '' },
    { label: 'settled window', of: (run) => run.settled, target: true, note: ', once V8 has optimised the server\'s code' },
  ]
  for (const window of windows) {
    const measured = efficiency.runs.flatMap((run) => {
      const figures = window.of(run)
      return figures ? [{ ...figures, tree: run.tree, round: run.round, follower: run.follower, errors: run.errors }] : []
    })
    if (measured.length) lines.push(`  ${window.label}${whenMeasured(measured)}${window.note}`, ...windowTable(measured, window.target))
  }
  for (const tree of new Set((efficiency.followerAlone ?? []).map((r) => r.tree))) {
    const runs = efficiency.followerAlone!.filter((r) => r.tree === tree)
    lines.push(`  ${tree}: the counts follower alone, following ${runs[0]!.messages} messages sent, received and deleted by another server, ${runs.map((r) => round(r.cpuMsPerMessage)).join(', ')} CPU ms per message (target ≤ ${targets.followerCpuMsPerMessage})`)
  }
  for (const s of efficiency.startup) {
    lines.push(`  npm start → first answer, ${s.tree}: ${round(s.dataDirMedian)} s with tables made (runs ${s.dataDirSeconds.map((v) => round(v)).join(', ')}; target ≤ ${targets.startupSeconds}), ${round(s.inMemoryMedian)} s in memory (runs ${s.inMemorySeconds.map((v) => round(v)).join(', ')})`)
  }
  return lines
}

type WindowRun = EfficiencyWindow & Pick<EfficiencyRun, 'tree' | 'round' | 'follower' | 'errors'>

/** One window's rows, medians and ratios; `target` marks the CPU ratio the target applies to. */
function windowTable(runs: WindowRun[], target: boolean): string[] {
  const lines = [`  tree       follower  round   msg/s   DQS CPU ms/msg  DynamoDB Local CPU ms/msg  DDB requests/msg (target ≤ ${targets.dynamoRequestsPerMessage})  errors`]
  const row = (tree: string, follower: boolean, label: string, run: Pick<WindowRun, 'messagesPerSecond' | 'dynamoRequestsPerMessage'> & { dqs: number; dynamodb: number; errors: number | string }) =>
    `  ${tree.padEnd(10)} ${(follower ? 'on' : 'off').padEnd(8)} ${label.padStart(6)} ${pad(round(run.messagesPerSecond, 0), 7)} ${pad(round(run.dqs), 15)} ${pad(round(run.dynamodb), 26)} ${pad(round(run.dynamoRequestsPerMessage), 33)} ${pad(run.errors, 7)}`
  for (const run of runs) {
    lines.push(row(run.tree, run.follower, String(run.round), { ...run, dqs: run.cpuMsPerMessage.dqs ?? Number.NaN, dynamodb: run.cpuMsPerMessage.dynamodb ?? Number.NaN }))
  }
  const runsOf = (tree: string, follower: boolean) => runs.filter((r) => r.tree === tree && r.follower === follower)
  const median = (of: WindowRun[], figure: (run: WindowRun) => number) => percentile(of.map(figure), 50)
  const trees = [...new Set(runs.map((r) => r.tree))]
  /** DQS CPU ms per message, the median over the rounds, by tree and follower setting */
  const medianCpu = new Map<string, number>()
  for (const tree of trees) {
    for (const follower of [true, false]) {
      const of = runsOf(tree, follower)
      if (!of.length) continue
      const dqs = median(of, (r) => r.cpuMsPerMessage.dqs ?? Number.NaN)
      medianCpu.set(`${tree} ${follower}`, dqs)
      if (of.length < 2) continue
      lines.push(row(tree, follower, 'median', {
        messagesPerSecond: median(of, (r) => r.messagesPerSecond), dqs, dynamodb: median(of, (r) => r.cpuMsPerMessage.dynamodb ?? Number.NaN),
        dynamoRequestsPerMessage: median(of, (r) => r.dynamoRequestsPerMessage), errors: of.reduce((sum, r) => sum + r.errors, 0),
      }))
    }
  }
  for (const tree of trees) {
    const on = medianCpu.get(`${tree} true`)
    const off = medianCpu.get(`${tree} false`)
    if (on !== undefined && off !== undefined) lines.push(`  ${tree}: follower on minus off, ${round(on - off)} DQS CPU ms per message (medians; under load it varies by tenths between runs)`)
  }
  for (const follower of [true, false]) {
    const pairs = runsOf('this', follower).flatMap((mine) => {
      const base = runsOf('baseline', follower).find((r) => r.round === mine.round)
      return base ? [{ cpu: (mine.cpuMsPerMessage.dqs ?? 0) / (base.cpuMsPerMessage.dqs ?? 0), requests: mine.dynamoRequestsPerMessage / base.dynamoRequestsPerMessage, dynamodb: (mine.cpuMsPerMessage.dynamodb ?? 0) / (base.cpuMsPerMessage.dynamodb ?? 0) }] : []
    })
    if (!pairs.length) continue
    const each = (figure: (pair: (typeof pairs)[number]) => number) => `${round(percentile(pairs.map(figure), 50))} × (rounds: ${pairs.map((p) => round(figure(p))).join(', ')})`
    lines.push(`  this ÷ baseline, follower ${follower ? 'on' : 'off'}, median of the rounds' ratios: DQS CPU per message ${each((p) => p.cpu)}${follower && target ? ` (target ≤ ${targets.cpuRatio})` : ''}; DynamoDB requests per message ${each((p) => p.requests)}; DynamoDB Local CPU per message ${each((p) => p.dynamodb)}`)
  }
  return lines
}

export function writeResults(results: BenchResults): string {
  const directory = fileURLToPath(new URL('./results/', import.meta.url))
  mkdirSync(directory, { recursive: true })
  const path = `${directory}latest.json`
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`)
  return path
}
