/** @module local/queues-file — the queues file (`--config dqs.json`): its zod schema, and reading it with errors that name the queue and field. */
import { readFile } from 'node:fs/promises'
import { limits } from '@dqs/core'
import * as z from 'zod'
// not `z.core.toDotPath`: naming zod's `core` namespace bundles every locale it holds (~490 KB that `dqs` parses at start)
import { toDotPath } from 'zod/v4/core'

const integer = (min: number, max: number) => z.number().int().min(min).max(max)

/** SQS's queue-name rule; `.fifo` makes a FIFO queue. */
const queueName = z.string().regex(/^(?:[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo)$/, {
  message: 'a queue name is 1–80 letters, digits, hyphens or underscores (FIFO: at most 75, then .fifo)',
})

const fifoOnly = ['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'] as const

/**
 * SQS's settable attributes, typed as JSON rather than SQS's strings. Redrive policies name queues instead of ARNs:
 * the ARN depends on the server's account and region.
 */
const attributes = z.strictObject({
  DelaySeconds: integer(0, limits.maxDelaySeconds).meta({ description: 'Seconds before a new message can be received (default 0)' }),
  MaximumMessageSize: integer(limits.minMessageSize, limits.maxMessageSize).meta({ description: 'Largest message in bytes (default 1048576)' }),
  MessageRetentionPeriod: integer(limits.minRetention, limits.maxRetention).meta({ description: 'Seconds a message is kept (default 345600: 4 days)' }),
  ReceiveMessageWaitTimeSeconds: integer(0, limits.maxWaitTimeSeconds).meta({ description: 'Long-poll wait of a receive that gives none (default 0)' }),
  VisibilityTimeout: integer(0, limits.maxVisibilityTimeout).meta({ description: 'Seconds a received message stays hidden (default 30)' }),
  RedrivePolicy: z.strictObject({
    deadLetterQueue: queueName.meta({ description: 'Name of the dead-letter queue, declared in this file' }),
    maxReceiveCount: integer(1, limits.maxReceiveCount),
  }),
  RedriveAllowPolicy: z.strictObject({
    redrivePermission: z.enum(['allowAll', 'denyAll', 'byQueue']),
    sourceQueues: z.array(queueName).min(1).max(limits.redriveAllowSourceArns)
      .meta({ description: 'Names of the queues that may use this one as their dead-letter queue (byQueue only)' })
      .optional(),
  }),
  Policy: z.record(z.string(), z.unknown()).meta({ description: 'An IAM policy document' }),
  KmsMasterKeyId: z.string().min(1),
  KmsDataKeyReusePeriodSeconds: integer(60, 86_400),
  SqsManagedSseEnabled: z.boolean(),
  FifoQueue: z.boolean().meta({ description: 'Optional: a name ending in .fifo already makes a FIFO queue' }),
  ContentBasedDeduplication: z.boolean(),
  DeduplicationScope: z.enum(['messageGroup', 'queue']),
  FifoThroughputLimit: z.enum(['perQueue', 'perMessageGroupId']),
}).partial()

const queue = z.strictObject({
  attributes: attributes.optional(),
  tags: z.record(z.string().min(1).max(limits.tagKeyLength), z.string().max(limits.tagValueLength)).optional(),
})

/** The file: `{ "queues": { "<name>": { "attributes": {…}, "tags": {…} } } }`. */
export const queuesFileSchema = z.strictObject({
  $schema: z.string().optional(),
  queues: z.record(queueName, queue),
}).superRefine((file, ctx) => {
  for (const [name, { attributes = {} }] of Object.entries(file.queues)) {
    const fifo = name.endsWith('.fifo')
    const at = (...path: string[]) => ['queues', name, 'attributes', ...path]
    if (attributes.FifoQueue !== undefined && attributes.FifoQueue !== fifo) {
      ctx.addIssue({ code: 'custom', path: at('FifoQueue'), message: 'a FIFO queue is one whose name ends in .fifo, and only that' })
    }
    for (const key of fifoOnly) {
      if (!fifo && attributes[key] !== undefined) ctx.addIssue({ code: 'custom', path: at(key), message: 'only FIFO queues (names ending in .fifo) take this attribute' })
    }
    const target = attributes.RedrivePolicy?.deadLetterQueue
    if (target !== undefined && !Object.hasOwn(file.queues, target)) {
      ctx.addIssue({ code: 'custom', path: at('RedrivePolicy', 'deadLetterQueue'), message: `"${target}" is not declared in this file` })
    } else if (target !== undefined && target.endsWith('.fifo') !== fifo) {
      ctx.addIssue({ code: 'custom', path: at('RedrivePolicy', 'deadLetterQueue'), message: 'a dead-letter queue must be of the same type (standard or FIFO) as its source' })
    }
    const allow = attributes.RedriveAllowPolicy
    if (allow && (allow.redrivePermission === 'byQueue') !== (allow.sourceQueues !== undefined)) {
      ctx.addIssue({ code: 'custom', path: at('RedriveAllowPolicy', 'sourceQueues'), message: 'sourceQueues goes with redrivePermission "byQueue", and only with it' })
    }
  }
})

export type QueuesFile = z.input<typeof queuesFileSchema>
export type QueueDeclaration = QueuesFile['queues'][string]

/** A queues file that cannot be used: one line per problem, each naming the file, the queue and the field. */
export class InvalidQueuesFile extends Error {}

/** Checks a queues file's content (`source` names it in messages). */
export function parseQueuesFile(content: unknown, source: string): QueuesFile {
  const parsed = queuesFileSchema.safeParse(content)
  if (parsed.success) return parsed.data
  throw new InvalidQueuesFile(parsed.error.issues.map((issue) => {
    // a bad queue name is reported as the record's "Invalid key": the name's own rule says why
    const message = issue.code === 'invalid_key' ? issue.issues.map((inner) => inner.message).join('; ') : issue.message
    return `${source}: ${toDotPath(issue.path) || '(the file)'}: ${message}`
  }).join('\n'))
}

/** Reads and checks the queues file at `path` (messages name it as given). */
export async function readQueuesFile(path: string): Promise<QueuesFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new InvalidQueuesFile(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  let content: unknown
  try {
    content = JSON.parse(text)
  } catch (error) {
    throw new InvalidQueuesFile(`${path}: not valid JSON: ${(error as Error).message}`)
  }
  return parseQueuesFile(content, path)
}

/** The file's JSON Schema (dqs.schema.json), for editors: what a file may hold, without the cross-queue checks. */
export function queuesFileJsonSchema(): string {
  const schema = z.toJSONSchema(queuesFileSchema, { io: 'input', target: 'draft-07' })
  return `${JSON.stringify({ ...schema, title: 'DQS queues file' }, null, 2)}\n`
}
