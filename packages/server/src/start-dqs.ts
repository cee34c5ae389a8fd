/** @module local/start-dqs — `startDqs()`: a throw-away DQS for a test run, with its queues declared and a fast reset between tests. */
import { loadConfig } from '@dqs/core'
import { applyQueues, queueSpecs } from './apply-queues.js'
import { parseQueuesFile, readQueuesFile, type QueuesFile } from './queues-file.js'
import { resetQueues } from './reset-queues.js'
import { startLocalServer } from './server.js'

export interface DqsOptions {
  /** Queues to create at start and to restore at each `reset()`: a queues file's content, or the file's path. */
  config?: QueuesFile | string
  /**
   * Further settings as the `DQS_*` environment variables of the README's "Configuration", e.g.
   * `{ DQS_PURGE_COOLDOWN: '0' }`. The process environment is not read. Default: a free port on 127.0.0.1 and an
   * embedded DynamoDB Local in memory.
   */
  env?: Record<string, string>
}

export interface Dqs {
  /** The SQS endpoint, e.g. `http://127.0.0.1:41234`. */
  endpoint: string
  region: string
  accountId: string
  /** The URL of the queue of that name (which need not exist). */
  queueUrl(name: string): string
  /**
   * Empties every queue, in flight or not, without restarting: each is deleted and created again at once, declared
   * queues as declared and the others as they were. Stop consumers first: their receipt handles become invalid.
   */
  reset(): Promise<void>
  /** Stops the server and its DynamoDB Local. */
  stop(): Promise<void>
}

/**
 * Starts DQS for a test run (vitest or jest global set-up) and resolves once it serves.
 *
 * @example
 * ```ts
 * import { startDqs } from 'dqs'
 * const dqs = await startDqs({ config: { queues: { jobs: { attributes: { VisibilityTimeout: 5 } } } } })
 * const sqs = new SQSClient({ endpoint: dqs.endpoint, region: dqs.region, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
 * await dqs.reset()   // between tests
 * await dqs.stop()
 * ```
 */
export async function startDqs(options: DqsOptions = {}): Promise<Dqs> {
  const file = typeof options.config === 'string'
    ? await readQueuesFile(options.config)
    : options.config && parseQueuesFile(options.config, 'startDqs config')
  // no queue cache: reset() replaces queues behind the server's back, and one server reads its own writes anyway
  const config = loadConfig({ DQS_PORT: '0', ...options.env, DQS_QUEUE_CACHE_MS: '0' })
  const server = await startLocalServer(config, { inMemory: true })
  const where = { accountId: config.defaultAccountId, region: config.region }
  const specs = file ? queueSpecs(file, where) : []
  const { engine } = server.runtime
  try {
    await applyQueues(engine, where.accountId, specs)
  } catch (error) {
    await server.close()
    throw error
  }
  return {
    endpoint: server.url,
    ...where,
    queueUrl: (name) => `${server.url}/${where.accountId}/${name}`,
    reset: () => resetQueues(engine, where.accountId, specs),
    stop: () => server.close(),
  }
}
