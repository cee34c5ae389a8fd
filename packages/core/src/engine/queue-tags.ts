/** @module engine/queue-tags — TagQueue, UntagQueue, ListQueueTags and AddPermission/RemovePermission (kept in Policy). */
import { InvalidParameterValue, OverLimit, QueueDoesNotExist } from '../errors.js'
import { limits } from '../limits.js'
import { queueArn, type Queue } from '../model/queue.js'
import { updateQueueSettings } from '../storage/queue-store.js'
import type { EngineDeps } from './deps.js'
import { rememberQueue } from './queue-cache.js'

export function validateTags(tags: Record<string, string>) {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > limits.tagKeyLength) {
      throw new InvalidParameterValue(`Tag keys must be between 1 and ${limits.tagKeyLength} characters in length.`)
    }
    if (key.toLowerCase().startsWith('aws:')) throw new InvalidParameterValue(`Tag key ${key} uses the reserved prefix aws:.`)
    if (String(value).length > limits.tagValueLength) {
      throw new InvalidParameterValue(`Tag values must be between 0 and ${limits.tagValueLength} characters in length.`)
    }
  }
  if (Object.keys(tags).length > limits.tagsPerQueue) throw new InvalidParameterValue(`Too many tags added for queue. Maximum is ${limits.tagsPerQueue}.`)
}

/** Writes new attributes or tags of a queue (and this instance's cache). */
export async function saveQueueSettings(deps: EngineDeps, queue: Queue, change: Partial<Pick<Queue, 'attributes' | 'tags'>>) {
  const next: Queue = { ...queue, ...change, modifiedAt: 'attributes' in change ? deps.clock.now() : queue.modifiedAt }
  if (!(await updateQueueSettings({ db: deps.db, table: deps.tables.queues }, next))) throw new QueueDoesNotExist()
  rememberQueue(deps, queue.accountId, queue.name, next)
  return next
}

export async function tagQueue(deps: EngineDeps, queue: Queue, tags: Record<string, string>) {
  const next = { ...queue.tags, ...tags }
  validateTags(next)
  await saveQueueSettings(deps, queue, { tags: next })
}

export async function untagQueue(deps: EngineDeps, queue: Queue, keys: string[]) {
  const next = { ...queue.tags }
  for (const key of keys) delete next[key]
  await saveQueueSettings(deps, queue, { tags: next })
}

interface PolicyStatement {
  Sid: string
  Effect: 'Allow'
  Principal: { AWS: string[] }
  Action: string[]
  Resource: string
}

interface Policy {
  Version: string
  Id: string
  Statement: PolicyStatement[]
}

function currentPolicy(deps: EngineDeps, queue: Queue): Policy {
  const arn = queueArn(deps.config.region, queue.accountId, queue.name)
  const policy = queue.attributes.Policy ? (JSON.parse(queue.attributes.Policy) as Partial<Policy>) : {}
  return {
    Version: policy.Version ?? '2012-10-17',
    Id: policy.Id ?? `${arn}/SQSDefaultPolicy`,
    Statement: Array.isArray(policy.Statement) ? policy.Statement : [],
  }
}

const labelPattern = /^[A-Za-z0-9_-]{1,80}$/

/** AddPermission: one Allow statement per label, principals as account roots, actions as `SQS:<Action>`. */
export async function addPermission(
  deps: EngineDeps,
  queue: Queue,
  input: { label: string; accountIds: string[]; actions: string[] },
) {
  if (!labelPattern.test(input.label)) {
    throw new InvalidParameterValue(`Value ${input.label} for parameter Label is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.`)
  }
  if (input.actions.length > 7) throw new OverLimit(`${input.actions.length} Actions were found, maximum allowed is 7.`)
  const policy = currentPolicy(deps, queue)
  if (policy.Statement.some((s) => s.Sid === input.label)) {
    throw new InvalidParameterValue(`Value ${input.label} for parameter Label is invalid. Reason: Already exists.`)
  }
  policy.Statement.push({
    Sid: input.label,
    Effect: 'Allow',
    Principal: { AWS: input.accountIds.map((id) => `arn:aws:iam::${id}:root`) },
    Action: input.actions.map((a) => (a === '*' ? 'SQS:*' : `SQS:${a}`)),
    Resource: queueArn(deps.config.region, queue.accountId, queue.name),
  })
  await saveQueueSettings(deps, queue, { attributes: { ...queue.attributes, Policy: JSON.stringify(policy) } })
}

export async function removePermission(deps: EngineDeps, queue: Queue, label: string) {
  const policy = currentPolicy(deps, queue)
  const remaining = policy.Statement.filter((s) => s.Sid !== label)
  if (remaining.length === policy.Statement.length) {
    throw new InvalidParameterValue(`Value ${label} for parameter Label is invalid. Reason: can't find label on existing policy.`)
  }
  const attributes = { ...queue.attributes }
  if (remaining.length) attributes.Policy = JSON.stringify({ ...policy, Statement: remaining })
  else delete attributes.Policy
  await saveQueueSettings(deps, queue, { attributes })
}
