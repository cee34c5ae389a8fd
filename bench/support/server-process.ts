/** @module bench/support/server-process — a DQS server (`functions/local.ts`) as a child process on a given DynamoDB, killable and restartable. */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

export interface ServerOptions {
  dynamoEndpoint: string
  tablePrefix: string
  /** 0 = any free port; a fixed port lets a restarted server come back where clients expect it */
  port?: number
  env?: Record<string, string>
  /** the checkout whose server runs (another commit's, to compare against); this one by default */
  root?: string
}

export interface ServerProcess {
  url: string
  port: number
  pid: number
  child: ChildProcess
  /** Resident set size in bytes (Linux /proc), or null when the process is gone. */
  rss(): number | null
  /** SIGKILL and wait for the exit: a crash, no clean shutdown. */
  crash(): Promise<void>
  /** SIGTERM and wait. */
  stop(): Promise<void>
  /** The last ~20 kB the server wrote to stderr (internal errors are logged there). */
  errors(): string
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null

// a bench or test that dies half-way must not leave servers behind
const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

function waitForExit(child: ChildProcess, signal: NodeJS.Signals) {
  return new Promise<void>((done) => {
    if (exited(child)) return done()
    child.once('exit', () => done())
    child.kill(signal)
  })
}

function rssOf(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb ? Number(kb) * 1024 : null
  } catch {
    return null
  }
}

/** The Node options `npm start` runs with in `tree` (its package.json's start script): a measured server runs as users run it. */
export function startNodeOptions(tree: string): string[] {
  const script: string = JSON.parse(readFileSync(join(tree, 'package.json'), 'utf8')).scripts?.start ?? ''
  return /^node((?: --\S+)*) /.exec(script)?.[1]!.trim().split(' ').filter(Boolean) ?? []
}

/** Starts a server with nothing embedded and resolves once it prints the URL it serves on. */
export function startServerProcess(options: ServerOptions): Promise<ServerProcess> {
  const tree = options.root ?? root
  const child = spawn(process.execPath, [...startNodeOptions(tree), '--import', 'tsx', 'functions/local.ts'], {
    cwd: tree,
    env: {
      ...process.env,
      NODE_NO_WARNINGS: '1',
      DQS_PORT: String(options.port ?? 0),
      DQS_DYNAMODB_ENDPOINT: options.dynamoEndpoint,
      DQS_TABLE_PREFIX: options.tablePrefix,
      DQS_EMBEDDED: 'false',
      // the run's own server keeps the counts and moves tasks: a helper process that is killed, or sits behind
      // injected faults, must not hold those leases while others wait for them to lapse
      DQS_FOLLOW_STREAM: 'false',
      DQS_MOVE_TASKS: 'false',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  live.add(child)
  child.once('exit', () => live.delete(child))
  let output = ''
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    const timer = setTimeout(() => fail(new Error(`server did not start in 60 s: ${output.slice(-2000)}`)), 60_000)
    child.once('exit', (code, signal) => fail(new Error(`server exited (${code ?? signal}): ${output.slice(-2000)}`)))
    child.stderr!.on('data', (chunk) => (output += chunk))
    const onData = (chunk: Buffer) => {
      output += chunk
      const url = /serving the SQS API at (http:\/\/\S+?) /.exec(output)?.[1]
      if (!url) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      child.stdout!.off('data', onData)
      // keep draining both pipes: a full pipe would block the server's console.error
      child.stdout!.resume()
      let errors = ''
      child.stderr!.removeAllListeners('data').on('data', (c) => (errors = (errors + c).slice(-20_000)))
      resolve({
        url,
        port: Number(new URL(url).port),
        pid: child.pid!,
        child,
        rss: () => (exited(child) ? null : rssOf(child.pid!)),
        crash: () => waitForExit(child, 'SIGKILL'),
        stop: () => waitForExit(child, 'SIGTERM'),
        errors: () => errors,
      })
    }
    child.stdout!.on('data', onData)
  })
}
