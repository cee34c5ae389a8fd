/** @module bench/run — `npm run bench [-- --quick]`: DQS against the DynamoDB floor on this machine, every headline a ratio from the same run. */
import { startDynamoLocal, type DynamoLocal } from '@dqs/server'
import { loadConfig } from '@dqs/core'
import { availableParallelism, loadavg } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { plans } from './plan.js'
import { conclude, formatTable, writeResults, type BenchResults } from './report.js'
import { measureCase, measureIdlePoll, sqsCost, startMeteredServer } from './scenarios/cost.js'
import { measureIdlePollers, measureInFlightLevel } from './scenarios/in-flight.js'
import { measureEfficiency, measureStartup } from './scenarios/efficiency.js'
import { measureFollowerAlone } from './scenarios/follower-alone.js'
import { runFloor } from './scenarios/floor.js'
import { runLatency } from './scenarios/latency.js'
import { runSqsLoad } from './scenarios/sqs-load.js'
import { bodyBytes } from './support/bodies.js'
import { probeFifo } from './support/fifo-probe.js'
import { startServerProcess, type ServerProcess } from './support/server-process.js'
import { sqsClient } from './support/sqs-client.js'
import { sleep } from './support/stats.js'

// the SDK's advice to move to Node 22 would otherwise sit in the middle of the report
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

const plan = plans[process.argv.includes('--quick') ? 'quick' : 'full']
/** only the efficiency part (CPU and requests per message, start-up), which the quick form otherwise leaves out */
const efficiencyOnly = process.argv.includes('--efficiency')
/** another checkout (with its node_modules installed) measured beside this one in the efficiency part */
const baseline = process.argv.find((arg) => arg.startsWith('--baseline='))?.slice('--baseline='.length)
const root = fileURLToPath(new URL('..', import.meta.url))
const started = performance.now()
const shards = loadConfig().shards

const results: BenchResults = {
  mode: plan.mode,
  startedAt: new Date().toISOString(),
  seconds: 0,
  machine: { cpus: availableParallelism(), loadAverage: loadavg(), node: process.version },
  setup: { producers: plan.load.producers, consumers: plan.load.consumers, shards, bodyBytes, batch: 10, windowMs: plan.load.windowMs },
  throughput: { floor: [], standard: [], ratioPerRound: [], floorRequestsPerMessage: [], cpuMsPerMessage: { floor: [], standard: [] }, errors: { floor: 0, standard: 0 } },
  fifo: { available: false, groups: [] },
  latency: {},
  cost: { rows: [], sqs: sqsCost },
  inFlight: { backlog: plan.inFlight.backlog, receives: plan.inFlight.receives, levels: [], idleWaitSeconds: plan.idlePollers.waitSeconds, idlePollers: [] },
  skipped: [],
  notes: [],
}

/** The efficiency part runs whole (warm-ups, three rounds of four 65 s loads, start-ups): it is not cut by the other parts' budgets. */
const efficiencyBudgetMs = 1_500_000

async function efficiency() {
  const trees = [{ name: 'this', root }, ...(baseline ? [{ name: 'baseline', root: resolve(baseline) }] : [])]
  const runs = await part('efficiency: CPU and DynamoDB requests per message, follower on and off', () => measureEfficiency({
    trees, load: plan.efficiency.load, warmup: plan.efficiency.warmup, rounds: plan.efficiency.rounds,
  }), { from: performance.now(), ms: Number.POSITIVE_INFINITY })
  const startup = await part('efficiency: npm start until it answers', () => measureStartup(trees, plan.efficiency.startupRuns), { from: performance.now(), ms: Number.POSITIVE_INFINITY })
  const followerAlone = await part('efficiency: the counts follower alone', () => measureFollowerAlone(trees, plan.efficiency.followerMessages, 2), { from: performance.now(), ms: Number.POSITIVE_INFINITY })
  results.efficiency = { baseline, runs: runs ?? [], startup: startup ?? [], followerAlone: followerAlone ?? [] }
}

/** Runs one part unless its time budget is spent; a failing part is reported, not fatal. */
async function part<T>(name: string, run: () => Promise<T>, budget = { from: started, ms: plan.budgetMs }): Promise<T | undefined> {
  if (performance.now() - budget.from > budget.ms) {
    results.skipped.push(`${name}: time budget of ${budget.ms / 1000} s spent`)
    return undefined
  }
  console.log(`  ${name}… (at ${Math.round((performance.now() - started) / 1000)} s)`)
  try {
    return await run()
  } catch (error) {
    results.skipped.push(`${name}: ${error instanceof Error ? error.message : String(error)}`)
    return undefined
  }
}

/** Processes whose CPU per message the load runs report besides the bench's own clients (set once they run). */
const watch: { floor: Record<string, number>; dqs: Record<string, number> } = { floor: {}, dqs: {} }

async function throughput(dynamoEndpoint: string, server: ServerProcess) {
  await part('JIT warm-up, not measured', async () => {
    await runFloor({ ...plan.jitWarmup, dynamoEndpoint, shards })
    await runSqsLoad({ ...plan.jitWarmup, endpoint: server.url })
  })
  for (let round = 1; round <= plan.rounds; round++) {
    const floorPart = () => part(`floor, round ${round}`, () => runFloor({ ...plan.load, dynamoEndpoint, shards, processes: watch.floor }))
    const standardPart = () => part(`standard queue, round ${round}`, () => runSqsLoad({ ...plan.load, endpoint: server.url, processes: watch.dqs }))
    // alternate which goes first, so a trend in the machine's load does not favour one
    const standardFirst = round % 2 === 0
    const before = standardFirst ? await standardPart() : undefined
    const floor = await floorPart()
    const standard = standardFirst ? before : await standardPart()
    if (!floor || !standard) continue
    const t = results.throughput
    t.floor.push(floor.messagesPerSecond)
    t.standard.push(standard.messagesPerSecond)
    t.ratioPerRound.push(standard.messagesPerSecond / floor.messagesPerSecond)
    t.floorRequestsPerMessage.push(floor.dynamoRequestsPerMessage)
    t.cpuMsPerMessage.floor.push(floor.cpuMsPerMessage)
    t.cpuMsPerMessage.standard.push(standard.cpuMsPerMessage)
    t.errors.floor += floor.errors
    t.errors.standard += standard.errors
    t.errors.first ??= floor.firstError ?? standard.firstError
  }
}

async function fifo(server: ServerProcess) {
  if (!results.fifo.available) return
  const standard = results.throughput.standard.reduce((a, b) => a + b, 0) / results.throughput.standard.length
  for (const groups of plan.fifo.groups) {
    const run = await part(`FIFO, ${groups} group(s)`, () => runSqsLoad({ ...plan.load, ...plan.fifo, endpoint: server.url, fifoGroups: groups, processes: watch.dqs }))
    if (run) results.fifo.groups.push({ groups, messagesPerSecond: run.messagesPerSecond, ratioToStandard: run.messagesPerSecond / standard, cpuMsPerMessage: run.cpuMsPerMessage, errors: run.errors })
  }
}

async function costAndLatency(dynamoEndpoint: string, tablePrefix: string, a: ServerProcess, b: ServerProcess) {
  results.latency.sameInstance = await part('latency, same instance', () => runLatency({ ...plan.latencySame, sendEndpoint: a.url, receiveEndpoint: a.url }))
  const metered = await startMeteredServer({ dynamoEndpoint, tablePrefix })
  try {
    for (const c of plan.cost.cases) {
      const row = await part(`cost, ${c.body} ${c.pattern}`, () => measureCase(metered, c, plan.cost.messages))
      if (row) results.cost.rows.push(row)
    }
    // both mostly wait: the idle poll's meter sees only its own server's calls
    const [cross, idle] = await Promise.all([
      part('latency, across instances', () => runLatency({ ...plan.latencyCross, sendEndpoint: a.url, receiveEndpoint: b.url })),
      part('cost, idle long poll', () => measureIdlePoll(metered, plan.idlePollSeconds)),
    ])
    results.latency.crossInstance = cross
    results.cost.idlePoll = idle
    if (results.fifo.available) {
      const row = await part('cost, FIFO incompressible batched', () => measureCase(metered, { body: 'incompressible', pattern: 'batched', fifoGroups: 10 }, plan.cost.messages))
      if (row) results.cost.rows.push(row)
    }
  } finally {
    await metered.close()
  }
}

/**
 * Idle long polls sharing a queue, then receives with many messages in flight, alone on the machine and last, on a
 * time budget of their own: setting up thousands of messages in flight is slow, and must not crowd out the parts above.
 */
async function underInFlightLoad(dynamoEndpoint: string, tablePrefix: string, a: ServerProcess) {
  const budget = { from: performance.now(), ms: plan.underLoadBudgetMs }
  const metered = await startMeteredServer({ dynamoEndpoint, tablePrefix })
  try {
    for (const pollers of plan.idlePollers.pollers) {
      const row = await part(`idle long polls, ${pollers} on one queue`, () => measureIdlePollers(metered, pollers, plan.idlePollers.waitSeconds), budget)
      if (row) results.inFlight.idlePollers.push(row)
    }
    for (const inFlight of plan.inFlight.levels) {
      const level = await part(`receive, ${inFlight} in flight`, () => measureInFlightLevel(metered, a.url, inFlight, plan.inFlight), budget)
      if (level) results.inFlight.levels.push(level)
    }
  } finally {
    await metered.close()
  }
}

async function main() {
  console.log(`DQS benchmark (${plan.mode}): starting DynamoDB Local and two DQS servers…`)
  const dynamo: DynamoLocal = await startDynamoLocal()
  // never outlive the budget by much, even if a part hangs: stop what we started, then leave (a level of messages in
  // flight started just before its budget ran out may still take a few minutes)
  const watchdog = setTimeout(async () => {
    console.error('bench: over time, stopping')
    await Promise.race([dynamo.stop(), sleep(6000)])
    process.exit(2)
  }, plan.budgetMs + plan.underLoadBudgetMs + efficiencyBudgetMs + 180_000)
  const tablePrefix = 'bench'
  const servers: ServerProcess[] = []
  try {
    servers.push(await startServerProcess({ dynamoEndpoint: dynamo.endpoint, tablePrefix }))
    servers.push(await startServerProcess({ dynamoEndpoint: dynamo.endpoint, tablePrefix }))
    const [a, b] = servers as [ServerProcess, ServerProcess]
    watch.floor = { dynamodb: dynamo.pid }
    watch.dqs = { ...watch.floor, dqs: a.pid }
    // FIFO may not have landed yet: its parts run only when a probe says it delivers in order
    const prober = sqsClient(a.url)
    const probe = await probeFifo(prober)
    prober.destroy()
    results.fifo = { available: probe.ok, reason: probe.ok ? undefined : probe.reason, groups: [] }
    if (efficiencyOnly) await efficiency()
    else {
      await throughput(dynamo.endpoint, a)
      if (plan.mode === 'full') await efficiency()
      await costAndLatency(dynamo.endpoint, tablePrefix, a, b)
      await fifo(a)
      await underInFlightLoad(dynamo.endpoint, tablePrefix, a)
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
    await dynamo.stop()
    clearTimeout(watchdog)
  }
  results.seconds = (performance.now() - started) / 1000
  conclude(results)
  console.log(`\n${formatTable(results)}`)
  console.log(`\nWrote ${writeResults(results)}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
