/** @module engine/queue-attributes — GetQueueAttributes and SetQueueAttributes. */
import { InvalidAttributeName } from '../errors.js'
import { applyQueueAttributes, validateQueueAttributes } from '../model/queue-attributes.js'
import { queueArn, type Queue } from '../model/queue.js'
import type { EngineDeps } from './deps.js'
import { saveQueueSettings } from './queue-tags.js'
import { checkRedriveTarget } from './redrive-policy.js'

export interface ApproximateCounts {
  visible: number
  notVisible: number
  delayed: number
}

const countNames = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']
const fifoNames = ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']
const knownNames = new Set([
  'All', 'QueueArn', 'CreatedTimestamp', 'LastModifiedTimestamp', ...countNames, ...fifoNames,
  'DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'VisibilityTimeout',
  'Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled',
])

/**
 * GetQueueAttributes: the named attributes (or All) that the queue has; FIFO-only names appear only on FIFO
 * queues; counts come from `counts`, read only when asked for.
 */
export async function getQueueAttributes(
  deps: EngineDeps,
  queue: Queue,
  names: string[],
  counts: (queue: Queue) => Promise<ApproximateCounts>,
): Promise<Record<string, string>> {
  for (const name of names) if (!knownNames.has(name)) throw new InvalidAttributeName(`Unknown Attribute ${name}.`)
  const wanted = new Set(names.includes('All') ? knownNames : names)
  const all: Record<string, string> = {
    QueueArn: queueArn(deps.config.region, queue.accountId, queue.name),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.modifiedAt / 1000)),
    ...queue.attributes,
  }
  if (countNames.some((n) => wanted.has(n))) {
    const c = await counts(queue)
    all.ApproximateNumberOfMessages = String(c.visible)
    all.ApproximateNumberOfMessagesNotVisible = String(c.notVisible)
    all.ApproximateNumberOfMessagesDelayed = String(c.delayed)
  }
  if (!queue.fifo) for (const name of fifoNames) delete all[name]
  // the data key's reuse period belongs to SSE-KMS: SQS reports it only while a KMS key is set
  if (!all.KmsMasterKeyId) delete all.KmsDataKeyReusePeriodSeconds
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(all)) if (wanted.has(name)) out[name] = value
  return out
}

/** SetQueueAttributes: validated like CreateQueue, with FifoQueue immutable and redrive targets checked. */
export async function setQueueAttributes(deps: EngineDeps, queue: Queue, input: Record<string, string>) {
  const changes = validateQueueAttributes(input, { fifo: queue.fifo, mode: 'set' })
  if (changes.RedrivePolicy) await checkRedriveTarget(deps, queue, changes.RedrivePolicy)
  await saveQueueSettings(deps, queue, { attributes: applyQueueAttributes(queue.attributes, changes) })
}
