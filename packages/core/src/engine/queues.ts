/** @module engine/queues — queue lifecycle: create (same-name rules), look up, list, delete, purge. */
import {
  InvalidParameterValue, PurgeQueueInProgress, QueueDeletedRecently, QueueDoesNotExist, QueueNameExists,
} from '../errors.js'
import { newQueueId } from '../ids.js'
import { limits } from '../limits.js'
import { defaultQueueAttributes, validateQueueAttributes, applyQueueAttributes } from '../model/queue-attributes.js'
import { queueArn, type Queue } from '../model/queue.js'
import { bumpGeneration, deleteQueueItem, getQueueItem, putNewQueue, queryQueues } from '../storage/queue-store.js'
import type { EngineDeps } from './deps.js'
import { lookupQueue, rememberQueue } from './queue-cache.js'
import { checkRedriveTarget } from './redrive-policy.js'
import { validateTags } from './queue-tags.js'

const store = (deps: EngineDeps) => ({ db: deps.db, table: deps.tables.queues })

const queueNamePattern = /^[A-Za-z0-9_-]{1,80}$/
const fifoNamePattern = /^[A-Za-z0-9_-]{1,75}\.fifo$/

function checkQueueName(name: string, fifo: boolean) {
  if (fifo && !fifoNamePattern.test(name)) {
    throw new InvalidParameterValue('The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.')
  }
  if (!fifo && !queueNamePattern.test(name)) {
    throw new InvalidParameterValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length')
  }
}

export interface CreateQueueInput {
  accountId: string
  name: string
  attributes: Record<string, string>
  tags: Record<string, string>
}

/** CreateQueue: a new queue, or the existing one when every given attribute matches it. */
export async function createQueue(deps: EngineDeps, input: CreateQueueInput): Promise<Queue> {
  const fifo = String(input.attributes.FifoQueue ?? '').toLowerCase() === 'true'
  checkQueueName(input.name, fifo)
  const requested = validateQueueAttributes(input.attributes, { fifo, mode: 'create' })
  validateTags(input.tags)
  const now = deps.clock.now()
  const queue: Queue = {
    accountId: input.accountId,
    name: input.name,
    id: newQueueId(),
    fifo,
    attributes: applyQueueAttributes(defaultQueueAttributes(fifo), requested),
    tags: input.tags,
    createdAt: now,
    modifiedAt: now,
    gen: 0,
    purgedAt: 0,
    // standard: message partitions; FIFO: partitions of the `ready` index (messages live in one partition per group)
    shards: deps.config.shards,
  }
  if (requested.RedrivePolicy) await checkRedriveTarget(deps, queue, requested.RedrivePolicy)
  // deleted at least the cooldown ago, as purge counts its cooldown: "wait 60 seconds" is over at 60 s
  const outcome = await putNewQueue(store(deps), queue, now - deps.config.deletedQueueCooldownMs + 1)
  if (outcome === 'deleted-recently') throw new QueueDeletedRecently()
  if (outcome === 'created') {
    rememberQueue(deps, queue.accountId, queue.name, queue)
    return queue
  }
  const existing = await getQueueItem(store(deps), input.accountId, input.name, true)
  if (!existing) return createQueue(deps, input) // deleted between our write and read: try again
  for (const [name, value] of Object.entries(requested)) {
    if ((existing.attributes[name] ?? '') !== value) throw new QueueNameExists(name)
  }
  return existing
}

/** The queue of that name in that account, or QueueDoesNotExist. */
export async function getQueue(deps: EngineDeps, accountId: string, name: string): Promise<Queue> {
  const queue = await lookupQueue(deps, accountId, name)
  if (!queue) throw new QueueDoesNotExist()
  return queue
}

export interface Page<T> {
  items: T[]
  nextToken?: string
}

const encodeToken = (name: string) => Buffer.from(JSON.stringify({ after: name })).toString('base64')

/** The queue name a NextToken continues after; anything but a queue name is not a token DQS issued. */
function decodeToken(token: string): string {
  try {
    const after = JSON.parse(Buffer.from(token, 'base64').toString('utf8')).after
    if (typeof after === 'string' && /^[A-Za-z0-9_.-]{1,80}$/.test(after)) return after
  } catch {
    // fall through to the error below
  }
  throw new InvalidParameterValue('Invalid NextToken value.')
}

/** ListQueues: names starting with a prefix; a token only when MaxResults was given and more remain. */
export async function listQueues(
  deps: EngineDeps,
  accountId: string,
  options: { prefix?: string; maxResults?: number; nextToken?: string },
): Promise<Page<Queue>> {
  const limit = options.maxResults ?? limits.listQueuesMaxResults
  const prefix = options.prefix ?? ''
  let after = options.nextToken ? decodeToken(options.nextToken) : undefined
  // A token from a listing with another prefix: DynamoDB refuses a start key outside the prefix, so start before
  // the prefixed names, or answer nothing when the token is past them all (names are ASCII: code-unit order is byte order).
  if (after !== undefined && !after.startsWith(prefix)) {
    if (after > prefix) return { items: [] }
    after = undefined
  }
  const { queues, more } = await queryQueues(store(deps), accountId, prefix, limit, after)
  const last = queues.at(-1)
  return { items: queues, nextToken: more && options.maxResults !== undefined && last ? encodeToken(last.name) : undefined }
}

/** Every queue of an account, read in pages (a DynamoDB query's Limit must stay a sane number). */
async function allQueues(deps: EngineDeps, accountId: string): Promise<Queue[]> {
  const queues: Queue[] = []
  for (let after: string | undefined; ;) {
    const page = await queryQueues(store(deps), accountId, '', limits.listQueuesMaxResults, after)
    queues.push(...page.queues)
    if (!page.more) return queues
    after = page.queues.at(-1)!.name
  }
}

/** Every queue of an account whose redrive policy targets this one. */
export async function listDeadLetterSourceQueues(
  deps: EngineDeps,
  queue: Queue,
  options: { maxResults?: number; nextToken?: string },
): Promise<Page<Queue>> {
  const arn = queueArn(deps.config.region, queue.accountId, queue.name)
  const sources = (await allQueues(deps, queue.accountId))
    .filter((q) => q.attributes.RedrivePolicy && JSON.parse(q.attributes.RedrivePolicy).deadLetterTargetArn === arn)
  const after = options.nextToken ? decodeToken(options.nextToken) : undefined
  const rest = after === undefined ? sources : sources.filter((q) => q.name > after)
  const limit = options.maxResults ?? limits.listQueuesMaxResults
  const items = rest.slice(0, limit)
  const more = rest.length > limit && options.maxResults !== undefined
  return { items, nextToken: more ? encodeToken(items.at(-1)!.name) : undefined }
}

/** DeleteQueue: the queue is gone at once; its messages are removed in the background. */
export async function deleteQueue(deps: EngineDeps, queue: Queue) {
  const now = deps.clock.now()
  const keepTombstoneSeconds = Math.ceil((now + 7 * 86_400_000) / 1000)
  if (!(await deleteQueueItem(store(deps), queue, now, keepTombstoneSeconds))) throw new QueueDoesNotExist()
  rememberQueue(deps, queue.accountId, queue.name, null)
}

/** PurgeQueue: starts a new message generation; one purge per cooldown (60 s unless configured). */
export async function purgeQueue(deps: EngineDeps, queue: Queue) {
  const outcome = await bumpGeneration(store(deps), queue, deps.clock.now(), deps.config.purgeCooldownMs)
  if (outcome === 'too-soon') throw new PurgeQueueInProgress(queue.name)
  if (outcome === 'gone') throw new QueueDoesNotExist()
  rememberQueue(deps, queue.accountId, queue.name, await getQueueItem(store(deps), queue.accountId, queue.name, true))
}
