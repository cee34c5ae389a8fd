/** @module local/server — DQS as a Node HTTP server, with or without an embedded DynamoDB Local. */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import type { Socket } from 'node:net'
import { serve } from '@hono/node-server'
import {
  CountsFeed, createDb, followMessageStream, prepareTables, tableNamesOf, UnappliedChanges, type Clock, type Config,
  type StreamFollower,
} from '@dqs/core'
import { createRuntime, type Runtime } from '@dqs/api'
import { drainable } from './drain.js'
import { startDynamoLocal, type DynamoLocal } from './dynamo-local.js'
import { wakePollsFromStream } from './stream-wakeups.js'

export interface LocalServer {
  url: string
  runtime: Runtime
  dynamo?: DynamoLocal
  close(): Promise<void>
}

/**
 * Listens on host:port (0 = any free port), then starts DynamoDB Local when the config says so (or takes the one
 * `options.dynamo` is starting) and creates missing tables; requests wait until then.
 *
 * Listening first, a client that connects while DynamoDB Local boots waits for its answer instead of being refused
 * and retrying, and its request's own first-time costs (parsing, routing, validation) are paid meanwhile. A port
 * already taken fails the start at once, before DynamoDB Local is waited for (or, when this starts it, spawned).
 */
export async function startLocalServer(
  config: Config, options: { inMemory?: boolean; clock?: Clock; dynamo?: Promise<DynamoLocal> } = {},
): Promise<LocalServer> {
  const gate = readinessGate()
  const server = await listen(gate.fetch, config)
  const drain = drainable(server)
  // what has started, stopped in reverse order on close, or when a later step fails, after the server has stopped
  // taking requests and answered those in flight; the stream readers and the mover, which no request waits for, stop
  // as the stop begins: Ctrl-C reaches an embedded DynamoDB Local too, and what they send from then on fails
  const started: Array<() => unknown> = []
  const background: Array<() => Promise<unknown>> = []
  let stopping: Promise<void> | undefined
  const stopAll = () => (stopping ??= (async () => {
    gate.fail()
    const backgroundStopped = Promise.all(background.map((stop) => stop()))
    await drain(() => gate.runtime?.engine.polls.stopWaiting())
    await backgroundStopped
    while (started.length) await started.pop()!()
  })())
  try {
    const dynamo = options.dynamo ? await options.dynamo
      : config.embedded ? await startDynamoLocal({ dataDir: options.inMemory ? undefined : config.dataDir }) : undefined
    if (dynamo) started.push(() => dynamo.stop())
    const effective = dynamo ? { ...config, dynamoEndpoint: dynamo.endpoint } : config
    const db = createDb({ endpoint: effective.dynamoEndpoint, region: effective.region })
    started.push(() => db.destroy())
    // counts add what the follower (this server or another) has not applied yet: they read your writes
    const unappliedChanges = config.countsReadStream
      ? new UnappliedChanges({ endpoint: effective.dynamoEndpoint, region: effective.region, db, tables: tableNamesOf(effective) })
      : undefined
    if (unappliedChanges) started.push(() => unappliedChanges.close())
    // a server that tails the stream hears of other processes' changes at once: its polls need not probe the counts
    const runtime = createRuntime(effective, { clock: options.clock, db, unappliedChanges, engine: { probeCounts: !config.tailStream } })
    // a DynamoDB Local this start launched in memory holds no tables: looking for an earlier start's would cost the
    // cold JVM two failing reads
    await prepareTables(runtime.db, runtime.tables, { empty: dynamo !== undefined && options.inMemory })
    // names this server in the leases it takes (the stream, move tasks)
    const owner = `${process.pid}-${randomUUID()}`
    if (config.followStream) {
      const follower = followCounts(runtime, effective, owner)
      background.push(() => follower.close())
    }
    if (config.tailStream) {
      const tail = wakePollsFromStream(runtime, effective)
      background.push(() => tail.close())
    }
    if (config.moveTasks) {
      const mover = startMover(runtime, owner)
      background.push(() => mover.stop())
    }
    gate.open(runtime)
    const { port } = server.address() as { port: number }
    return { url: `http://${config.host}:${port}`, runtime, dynamo, close: stopAll }
  } catch (error) {
    await stopAll()
    throw error
  }
}

/** The server's handler before the runtime is ready: each request waits for it, or gets a 503 if the start fails. */
function readinessGate() {
  let open!: (runtime: Runtime) => void
  let fail!: () => void
  const ready = new Promise<Runtime | undefined>((resolve) => {
    open = resolve
    fail = () => resolve(undefined)
  })
  const gate = {
    runtime: undefined as Runtime | undefined,
    open(runtime: Runtime) {
      gate.runtime = runtime
      open(runtime)
    },
    fail,
    async fetch(request: Request, env: unknown) {
      const runtime = gate.runtime ?? await ready
      if (!runtime) return new Response('DQS could not start.\n', { status: 503, headers: { connection: 'close' } })
      return runtime.app.fetch(request, env)
    },
  }
  return gate
}

/** Keeps the queues' approximate counts from the messages stream; of all servers sharing the tables, one at a time does. */
function followCounts(runtime: Runtime, config: Config, owner: string): StreamFollower {
  const feed = new CountsFeed(runtime)
  return followMessageStream({
    endpoint: config.dynamoEndpoint,
    region: config.region,
    db: runtime.db,
    tables: runtime.tables,
    owner,
    apply: (changes, last) => feed.apply(changes, runtime.clock.now(), last),
  })
}

/** Message move tasks advance here, a second apart; servers sharing the tables take turns per task (a lease). */
function startMover(runtime: Runtime, owner: string) {
  let stopped = false
  const running = (async () => {
    while (!stopped) {
      await runtime.engine.runMoveTasks(owner, 5_000).catch((error: unknown) => {
        if (!stopped) console.error('DQS: moving messages:', error instanceof Error ? error.message : error)
      })
      await new Promise((resolve) => setTimeout(resolve, 1_000).unref())
    }
  })()
  return {
    async stop() {
      stopped = true
      await running
    },
  }
}

/**
 * Idle keep-alive connections stay open longer than clients keep them (Node's 5 s default is shorter than most):
 * a server that closes an idle socket just as a client reuses it makes that request fail with a reset.
 */
const keepAliveMs = 65_000

/**
 * A client that sends its request slowly holds a connection (and, past the cap, keeps others out): Node's own
 * limit is 300 s. These time only the request's arrival, never the answer, so a 20 s long poll is untouched.
 */
const headersTimeoutMs = 30_000

/** Node looks for requests past their timeout only this often (30 s by default: a 60 s timeout could run to 90 s). */
const timeoutCheckMs = 1_000

function listen(fetch: (request: Request, env: unknown) => Response | Promise<Response>, config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const serverOptions = {
      keepAliveTimeout: keepAliveMs,
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(headersTimeoutMs, config.requestTimeoutMs),
      connectionsCheckingInterval: timeoutCheckMs,
    }
    // serve() makes a node:http server unless told to make another kind
    const server = serve({ fetch, port: config.port, hostname: config.host, serverOptions }, () => resolve(server)) as Server
    // each connection costs a socket, buffers and a file descriptor: past the cap, new ones are closed on arrival
    Object.assign(server, { maxConnections: config.maxConnections })
    // Node times headers from their first byte: a connection that never sends one would be held until the client
    // lets go, so until its first request it must not stay silent longer than headers may take
    server.on('connection', (socket: Socket) => socket.setTimeout(serverOptions.headersTimeout))
    server.on('request', (request: IncomingMessage) => request.socket.setTimeout(0))
    server.once('error', reject)
  })
}
