/** @module config — environment variables read once into a validated Config. */
import * as z from 'zod'
import { defaultDataDir } from './config-defaults.js'
import { limits } from './limits.js'
import { tableNames, type TableNames } from './storage/tables.js'

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

const schema = z.object({
  DQS_PORT: z.coerce.number().int().min(0).max(65535).default(9324),
  DQS_HOST: z.string().default('127.0.0.1'),
  DQS_DATA_DIR: z.string().default(defaultDataDir),
  DQS_DYNAMODB_ENDPOINT: z.string().url().optional(),
  DQS_EMBEDDED: flag.optional(),
  DQS_ACCOUNT_ID: z.string().regex(/^\d{12}$/, 'must be 12 digits').default('000000000000'),
  DQS_REGION: z.string().min(1).default('us-east-1'),
  DQS_TABLE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('dqs'),
  DQS_QUEUES_TABLE: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/).optional(),
  DQS_MESSAGES_TABLE: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/).optional(),
  DQS_PURGE_COOLDOWN: z.coerce.number().int().min(0).default(60),
  DQS_DELETED_QUEUE_COOLDOWN: z.coerce.number().int().min(0).default(60),
  // empty counts as unset: an unset secret often reaches the environment as ''
  DQS_RECEIPT_KEY: z.string().optional().transform((key) => key || undefined),
  DQS_CREDENTIALS: z.string().optional(),
  DQS_REQUIRE_AUTH: flag.optional(),
  DQS_QUEUE_CACHE_MS: z.coerce.number().int().min(0).default(1000),
  DQS_SHARDS: z.coerce.number().int().min(1).max(64).default(4),
  DQS_FOLLOW_STREAM: flag.optional(),
  DQS_TAIL_STREAM: flag.optional(),
  DQS_COUNTS_READ_STREAM: flag.optional(),
  DQS_MAX_WAITING_POLLS: z.coerce.number().int().min(1).default(10_000),
  DQS_MOVE_TASKS: flag.default(true),
  DQS_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(10_000),
  DQS_REQUEST_TIMEOUT: z.coerce.number().int().min(1).default(60),
  DQS_MAX_ANSWER_BYTES: z.coerce.number().int().min(0).default(0),
  DQS_MAX_WAIT_SECONDS: z.coerce.number().int().min(0).max(limits.maxWaitTimeSeconds).default(limits.maxWaitTimeSeconds),
})

export interface Config {
  port: number
  host: string
  dataDir: string
  dynamoEndpoint?: string
  /** Start DynamoDB Local in-process (only `npm start`; the Lambda never embeds). */
  embedded: boolean
  defaultAccountId: string
  region: string
  tablePrefix: string
  /** Explicit physical table names (deployed: SST's), overriding `<prefix>-queues` / `<prefix>-messages`. */
  queuesTable?: string
  messagesTable?: string
  purgeCooldownMs: number
  deletedQueueCooldownMs: number
  receiptKey: string
  /** access key id → { secret, accountId } */
  credentials: Map<string, { secretAccessKey: string; accountId: string }>
  requireAuth: boolean
  queueCacheMs: number
  shards: number
  /**
   * Follow the messages table's stream in this process to keep the queues' approximate counts (local DynamoDB); deployed,
   * a Lambda event-source mapping does it (functions/counts.ts), so a server on AWS tables leaves it alone.
   */
  followStream: boolean
  /**
   * Read the messages table's stream in this process while long polls wait here, so that other processes' sends
   * wake them at once (local DynamoDB; every process may). Without it, waiting polls look at the counts item.
   */
  tailStream: boolean
  /**
   * GetQueueAttributes adds the stream records the counts follower (whichever process holds it) has not applied
   * yet, so the counts show every write answered before the call (local DynamoDB). Deployed they trail the stream.
   */
  countsReadStream: boolean
  /** Long polls that may wait at once in this process; one more is answered RequestThrottled (SDKs retry it). */
  maxWaitingPolls: number
  /** Advance message move tasks in this process, a second apart (local servers; deployed, the sweeper does). */
  moveTasks: boolean
  /** Connections the local server holds open at once; more are closed as they arrive. */
  maxConnections: number
  /**
   * How long the local server waits for a whole request (headers and body) before cutting the connection; the
   * headers must arrive within 30 s, or this if shorter. Answers are not timed: a long poll may wait 20 s.
   */
  requestTimeoutMs: number
  /**
   * The most bytes an answer may take, 0 for no limit: a receive answers fewer messages (giving the others back at
   * once) rather than exceed it. In Lambda, under its 6 MB response limit.
   */
  maxAnswerBytes: number
  /**
   * The longest a receive waits here, in seconds, whatever it asks for (or its queue's ReceiveMessageWaitTimeSeconds):
   * one asking for more answers what it has, often nothing, when this runs out. Bounds how long a long poll holds a
   * Lambda function; SQS's own limit (20) by default.
   */
  maxWaitSeconds: number
}

/**
 * Signs receipt handles when no key is set: it is in this public source, so it only suits a server that trusts
 * every caller anyway.
 */
const localReceiptKey = 'dqs-local-receipt-handle-key'

/**
 * With signatures required, callers are not trusted: a public receipt key would let any of them forge handles,
 * so a server refuses to start without its own.
 */
function receiptKeyOf(key: string | undefined, requireAuth: boolean): string {
  if (key) return key
  if (requireAuth) {
    throw new Error('DQS_RECEIPT_KEY must be set to a long random string when requests must be signed (DQS_CREDENTIALS or DQS_REQUIRE_AUTH): the built-in key is public and would let anyone forge receipt handles')
  }
  return localReceiptKey
}

/** `DQS_CREDENTIALS` is `accessKey:secret:accountId`, comma-separated. */
function parseCredentials(text: string | undefined): Config['credentials'] {
  const credentials: Config['credentials'] = new Map()
  for (const entry of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [accessKeyId, secretAccessKey, accountId] = entry.split(':')
    if (!accessKeyId || !secretAccessKey || !/^\d{12}$/.test(accountId ?? '')) {
      throw new Error(`DQS_CREDENTIALS: "${accessKeyId ?? ''}:…" must be accessKey:secret:twelveDigitAccountId`)
    }
    credentials.set(accessKeyId, { secretAccessKey, accountId: accountId! })
  }
  return credentials
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid DQS configuration: ${problems}`)
  }
  const e = parsed.data
  const credentials = parseCredentials(e.DQS_CREDENTIALS)
  const embedded = e.DQS_EMBEDDED ?? !e.DQS_DYNAMODB_ENDPOINT
  const requireAuth = e.DQS_REQUIRE_AUTH ?? credentials.size > 0
  return {
    port: e.DQS_PORT,
    host: e.DQS_HOST,
    dataDir: e.DQS_DATA_DIR,
    dynamoEndpoint: e.DQS_DYNAMODB_ENDPOINT,
    embedded,
    defaultAccountId: e.DQS_ACCOUNT_ID,
    region: e.DQS_REGION,
    tablePrefix: e.DQS_TABLE_PREFIX,
    queuesTable: e.DQS_QUEUES_TABLE,
    messagesTable: e.DQS_MESSAGES_TABLE,
    purgeCooldownMs: e.DQS_PURGE_COOLDOWN * 1000,
    deletedQueueCooldownMs: e.DQS_DELETED_QUEUE_COOLDOWN * 1000,
    receiptKey: receiptKeyOf(e.DQS_RECEIPT_KEY, requireAuth),
    credentials,
    requireAuth,
    queueCacheMs: e.DQS_QUEUE_CACHE_MS,
    shards: e.DQS_SHARDS,
    followStream: e.DQS_FOLLOW_STREAM ?? (embedded || e.DQS_DYNAMODB_ENDPOINT !== undefined),
    tailStream: e.DQS_TAIL_STREAM ?? (embedded || e.DQS_DYNAMODB_ENDPOINT !== undefined),
    countsReadStream: e.DQS_COUNTS_READ_STREAM ?? (embedded || e.DQS_DYNAMODB_ENDPOINT !== undefined),
    maxWaitingPolls: e.DQS_MAX_WAITING_POLLS,
    moveTasks: e.DQS_MOVE_TASKS,
    maxConnections: e.DQS_MAX_CONNECTIONS,
    requestTimeoutMs: e.DQS_REQUEST_TIMEOUT * 1000,
    maxAnswerBytes: e.DQS_MAX_ANSWER_BYTES,
    maxWaitSeconds: e.DQS_MAX_WAIT_SECONDS,
  }
}

/** The physical table names: explicit ones where given, else named after the prefix (local runs and tests). */
export function tableNamesOf(config: Pick<Config, 'tablePrefix' | 'queuesTable' | 'messagesTable'>): TableNames {
  const byPrefix = tableNames(config.tablePrefix)
  return { queues: config.queuesTable ?? byPrefix.queues, messages: config.messagesTable ?? byPrefix.messages }
}

/** Lambda answers at most 6 MB (6,291,456 bytes) synchronously; the rest is room for its own envelope and headers. */
const lambdaAnswerBytes = 6_000_000

/**
 * The settings of DQS running on AWS, in a Lambda function or a container task: DynamoDB calls and ARNs use the
 * region it runs in (`AWS_REGION`, which Lambda and ECS set) unless `DQS_REGION` says otherwise, and DynamoDB is
 * never embedded.
 */
export function onAws(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...env, DQS_REGION: env.DQS_REGION ?? env.AWS_REGION, DQS_EMBEDDED: 'false' }
}

/** Config inside a Lambda function: on AWS (`onAws`), with answers under Lambda's response limit. */
export function loadLambdaConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig({ ...onAws(env), DQS_MAX_ANSWER_BYTES: env.DQS_MAX_ANSWER_BYTES ?? String(lambdaAnswerBytes) })
}

