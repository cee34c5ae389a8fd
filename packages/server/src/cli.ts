/** @module local/cli — the `dqs` command (and `npm start`): flags and environment → a running server, a one-line error when it cannot start. */
// only what it takes to start Java: the rest of DQS, the configuration's validation (zod) too, loads while DynamoDB
// Local boots (runCli)
import { defaultDataDir } from '@dqs/core/config-defaults'
import type { Config } from '@dqs/core/config'
import type { AppliedQueues } from './apply-queues.js'
import { parseCliArgs, usage, UsageError } from './cli-args.js'
import { JavaMissing, startDynamoLocal, type DynamoLocal, type DynamoLocalOptions } from './dynamo-local.js'
import type { LocalServer } from './server.js'

/** Runs `dqs` with these arguments until SIGINT or SIGTERM; exits 1 when it cannot start, 2 on a usage error. */
export async function runCli(argv: string[], environment: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config | undefined
  let dynamo: Promise<DynamoLocal> | undefined
  try {
    const args = parseCliArgs(argv)
    if (args.help) return console.log(usage)
    const env = { ...environment, ...args.env }
    // Java takes longest to start (about 1.5 s): DynamoDB Local boots while the rest of DQS loads and compiles
    const likely = likelyDynamoLocal(env, args.inMemory)
    dynamo = likely && startDynamoLocal(likely)
    dynamo?.catch(() => undefined) // awaited by the server's start; a failure is thrown there, not left unhandled
    const [{ loadConfig }, { startLocalServer }, { applyQueues, QueueNotApplied, queueSpecs }, { readQueuesFile }] = await Promise.all([
      import('@dqs/core/config'), import('./server.js'), import('./apply-queues.js'), import('./queues-file.js'),
    ])
    config = loadConfig(env)
    const path = env.DQS_CONFIG
    const file = path ? await readQueuesFile(path) : undefined
    const server = await startLocalServer(config, { inMemory: args.inMemory, dynamo })
    let applied: AppliedQueues | undefined
    try {
      const where = { accountId: config.defaultAccountId, region: config.region }
      if (file) applied = await applyQueues(server.runtime.engine, where.accountId, queueSpecs(file, where))
    } catch (error) {
      await server.close()
      throw error instanceof QueueNotApplied ? new Error(`${path}: ${error.message}`) : error
    }
    stopOnSignals(server)
    if (path && applied) console.log(appliedLine(path, applied))
    console.log(banner(server, config, args.inMemory))
  } catch (error) {
    // a queues file that could not be read, say: the Java started for nothing must not outlive us
    await dynamo?.then((started) => started.stop(), () => undefined)
    console.error(startError(error, config))
    process.exit(error instanceof UsageError ? 2 : 1)
  }
}

/**
 * The DynamoDB Local of a start that names no DynamoDB (the usual one), read before the configuration is validated:
 * loading the validation costs ~0.13 s that Java need not wait for. `loadConfig` makes the same of these variables
 * (embedded, this data directory) or throws, and the JVM is stopped again; every other start leaves DynamoDB Local
 * to the server's start, which follows the validated configuration.
 */
export function likelyDynamoLocal(env: NodeJS.ProcessEnv, inMemory: boolean): DynamoLocalOptions | undefined {
  if (env.DQS_DYNAMODB_ENDPOINT !== undefined || env.DQS_EMBEDDED !== undefined) return undefined
  return { dataDir: inMemory ? undefined : env.DQS_DATA_DIR ?? defaultDataDir }
}

function banner(server: LocalServer, config: Config, inMemory: boolean) {
  const where = server.dynamo
    ? (inMemory ? 'embedded DynamoDB Local, in memory' : `embedded DynamoDB Local, data in ${config.dataDir}`)
    : `DynamoDB at ${config.dynamoEndpoint ?? 'AWS'}`
  return `DQS is serving the SQS API at ${server.url} (${where}).

Try it:
  aws --endpoint-url ${server.url} sqs create-queue --queue-name jobs
  aws --endpoint-url ${server.url} sqs send-message --queue-url ${server.url}/${config.defaultAccountId}/jobs --message-body hello

or from Node:
  new SQSClient({ endpoint: '${server.url}', region: '${config.region}', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
`
}

function appliedLine(path: string, { created, updated, unchanged }: AppliedQueues) {
  const list = (names: string[]) => (names.length ? names.join(', ') : 'none')
  return `Queues from ${path}: created ${list(created)}; updated ${list(updated)}; ${unchanged.length} unchanged. Queues not in the file are left as they are.`
}

function stopOnSignals(server: LocalServer) {
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping DQS…`)
    await server.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

/** The line (or, for a queues file, the lines) that say why DQS did not start. */
function startError(error: unknown, config: Config | undefined): string {
  if (error instanceof UsageError) return `dqs: ${error.message}`
  if (error instanceof JavaMissing) return error.message
  const { code } = error as NodeJS.ErrnoException
  if (code === 'EADDRINUSE' && config) {
    return `DQS could not start: port ${config.port} on ${config.host} is already in use (--port or DQS_PORT)`
  }
  return `DQS could not start: ${error instanceof Error ? error.message : String(error)}`
}
