/**
 * @module bench/scenarios/efficiency — what a message costs the DQS server as `npm start` runs it: CPU, DynamoDB
 * requests, the counts follower's share, and how long the server takes to answer after launch. Optionally the same
 * for another checkout (`--baseline=<dir>`), in the same run, so the report can give ratios.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, startDynamoLocal } from '@dqs/server'
import type { LoadOptions, WindowFigures } from '../support/load-loop.js'
import { startServerProcess } from '../support/server-process.js'
import { percentile, sleep } from '../support/stats.js'
import { runSqsLoad } from './sqs-load.js'

/** One window's figures: the first one after the warm-up, or the settled one. */
export interface EfficiencyWindow {
  /** seconds after the load began (and the server started, a moment before it); absent from older results */
  fromSeconds?: number
  toSeconds?: number
  messagesPerSecond: number
  cpuMsPerMessage: Record<string, number>
  dynamoRequestsPerMessage: number
}

export interface EfficiencyRun extends EfficiencyWindow {
  tree: string
  /** 1, 2, …: each round measures every tree and follower setting once */
  round: number
  /** the counts follower on (the default of `npm start`) or off (DQS_FOLLOW_STREAM=false) */
  follower: boolean
  /** the same server's second window, once its JIT has settled (when the load asked for one) */
  settled?: EfficiencyWindow
  errors: number
}

export interface StartupTime {
  tree: string
  /** launch → first answer, each run: with tables already in the data directory, and in memory (tables created) */
  dataDirSeconds: number[]
  inMemorySeconds: number[]
  dataDirMedian: number
  inMemoryMedian: number
}

/** The server's DynamoDB requests so far, summed over operations and outcomes, from its `/metrics`. */
async function dynamoRequestsOf(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  let sum = 0
  for (const [, value] of text.matchAll(/^dqs_dynamodb_requests_total\{[^}]*\} (\S+)$/gm)) sum += Number(value)
  return sum
}

const windowOf = (figures: WindowFigures): EfficiencyWindow => ({
  fromSeconds: figures.fromSeconds,
  toSeconds: figures.toSeconds,
  messagesPerSecond: figures.messagesPerSecond,
  cpuMsPerMessage: figures.cpuMsPerMessage,
  dynamoRequestsPerMessage: figures.perMessage.requests ?? Number.NaN,
})

/**
 * The load of `runSqsLoad` against one server per tree and follower setting, `rounds` times over, so that the report
 * can take medians: one window's figures move by up to a third with the machine's load (CPU per message rises for
 * every process alike when the host is busy). Each round alternates which tree goes first, so that a drift in the
 * machine's load hits every tree alike. Each tree on a DynamoDB Local of its own, warmed by an unmeasured run
 * first: one JVM that has served other tables runs several times slower on new ones (measured: 112, 56, then 16
 * msg/s on three fresh table sets in one JVM, against 104, 170, 283 on one set; and whichever of two trees made its
 * tables second ran at a quarter of the first one's rate, whichever tree that was).
 */
export async function measureEfficiency(options: {
  trees: Array<{ name: string; root?: string }>
  load: LoadOptions
  warmup: LoadOptions
  rounds: number
}): Promise<EfficiencyRun[]> {
  const dynamos = await Promise.all(options.trees.map(() => startDynamoLocal()))
  const runs: EfficiencyRun[] = []
  const run = async (tree: { name: string; root?: string }, follower: boolean, load: LoadOptions, round: number): Promise<EfficiencyRun> => {
    const dynamo = dynamos[options.trees.indexOf(tree)]!
    const server = await startServerProcess({
      dynamoEndpoint: dynamo.endpoint,
      tablePrefix: `eff-${tree.name}`,
      root: tree.root,
      // as `npm start` runs: the follower per the setting, move tasks on
      env: { DQS_FOLLOW_STREAM: String(follower), DQS_MOVE_TASKS: 'true' },
    })
    try {
      const result = await runSqsLoad({
        ...load,
        endpoint: server.url,
        processes: { dqs: server.pid, dynamodb: dynamo.pid },
        counters: { requests: () => dynamoRequestsOf(server.url) },
      })
      return {
        tree: tree.name,
        round,
        follower,
        ...windowOf(result),
        ...(result.settled && { settled: windowOf(result.settled) }),
        errors: result.errors,
      }
    } finally {
      await server.stop()
    }
  }
  try {
    for (const tree of options.trees) await run(tree, true, options.warmup, 0)
    for (let round = 1; round <= options.rounds; round++) {
      const trees = round % 2 ? options.trees : [...options.trees].reverse()
      for (const follower of [true, false]) {
        for (const tree of trees) runs.push(await run(tree, follower, options.load, round))
      }
    }
  } finally {
    await Promise.all(dynamos.map((dynamo) => dynamo.stop()))
  }
  return runs
}

/** Seconds from launching `npm start` in `root` until it answers ListQueues. */
async function timeStart(root: string, env: Record<string, string>, args: string[]): Promise<number> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn('npm', ['start', '--', '--port', String(port), ...args], {
    cwd: root, env: { ...process.env, ...env, NODE_NO_WARNINGS: '1' }, stdio: 'ignore', detached: true,
  })
  try {
    const deadline = started + 60_000
    while (performance.now() < deadline) {
      const answered = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
        body: '{}',
      }).then((r) => r.ok, () => false)
      if (answered) return (performance.now() - started) / 1000
      await sleep(10)
    }
    throw new Error(`npm start in ${root} did not answer within 60 s`)
  } finally {
    // npm, the server and its Java: the whole process group. npm exits at once, its Java only once it has written the
    // class-data archive a first start records: killed before that, a tree without one would never get it
    const signal = (name: NodeJS.Signals | 0) => {
      try {
        process.kill(-child.pid!, name)
        return true
      } catch {
        return false // the group is gone
      }
    }
    signal('SIGTERM')
    const deadline = performance.now() + 10_000
    while (performance.now() < deadline && signal(0)) await sleep(50)
    signal('SIGKILL')
    await sleep(500)
  }
}

/**
 * `npm start` launched `runs` times per tree, alternating trees: with a data directory whose tables exist (a first,
 * unmeasured start creates them), and in memory, where every start creates its tables.
 */
export async function measureStartup(trees: Array<{ name: string; root: string }>, runs: number): Promise<StartupTime[]> {
  const dirs = trees.map(() => mkdtempSync(join(tmpdir(), 'dqs-bench-start-')))
  try {
    const times = trees.map((tree) => ({ tree: tree.name, dataDirSeconds: [] as number[], inMemorySeconds: [] as number[] }))
    for (const [i, tree] of trees.entries()) await timeStart(tree.root, { DQS_DATA_DIR: dirs[i]! }, [])
    for (let run = 0; run < runs; run++) {
      for (const [i, tree] of trees.entries()) {
        times[i]!.dataDirSeconds.push(await timeStart(tree.root, { DQS_DATA_DIR: dirs[i]! }, []))
        times[i]!.inMemorySeconds.push(await timeStart(tree.root, {}, ['--in-memory']))
      }
    }
    return times.map((t) => ({ ...t, dataDirMedian: percentile(t.dataDirSeconds, 50), inMemoryMedian: percentile(t.inMemorySeconds, 50) }))
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
}
