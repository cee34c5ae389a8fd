/** @module local/apply-queues — declared queues created, or brought to their declared attributes and tags, through the engine. */
import { queueArn, QueueDoesNotExist, type Engine, type Queue } from '@dqs/core'
// zod's own path notation, as the file's validation errors use it (queues-file.ts says why not `z.core`)
import { toDotPath } from 'zod/v4/core'
import type { QueueDeclaration, QueuesFile } from './queues-file.js'

/** A queue as CreateQueue takes it: attributes as SQS's strings, redrive targets as ARNs. */
export interface QueueSpec {
  name: string
  attributes: Record<string, string>
  tags: Record<string, string>
}

export interface AppliedQueues {
  created: string[]
  updated: string[]
  unchanged: string[]
}

/** A declared queue the engine refused; the message is SQS's, which names the attribute. */
export class QueueNotApplied extends Error {
  constructor(name: string, cause: unknown) {
    super(`${toDotPath(['queues', name])}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}

/** The file's queues as specs, in the account and region whose ARNs redrive policies name. */
export function queueSpecs(file: QueuesFile, where: { accountId: string; region: string }): QueueSpec[] {
  const arn = (name: string) => queueArn(where.region, where.accountId, name)
  return Object.entries(file.queues).map(([name, declaration]) => ({
    name,
    attributes: sqsAttributes(name, declaration.attributes ?? {}, arn),
    tags: declaration.tags ?? {},
  }))
}

function sqsAttributes(name: string, declared: NonNullable<QueueDeclaration['attributes']>, arn: (name: string) => string) {
  const { RedrivePolicy, RedriveAllowPolicy, Policy, FifoQueue, ...plain } = declared
  const attributes: Record<string, string> = {}
  for (const [key, value] of Object.entries(plain)) attributes[key] = String(value)
  // CreateQueue wants FifoQueue=true beside the .fifo name; the file lets the name say it
  if (name.endsWith('.fifo') || FifoQueue) attributes.FifoQueue = 'true'
  // the key order and number types SQS reports back, so that an unchanged policy compares equal to the stored one
  if (RedrivePolicy) {
    attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: arn(RedrivePolicy.deadLetterQueue), maxReceiveCount: RedrivePolicy.maxReceiveCount })
  }
  if (RedriveAllowPolicy) {
    attributes.RedriveAllowPolicy = JSON.stringify({ redrivePermission: RedriveAllowPolicy.redrivePermission, sourceQueueArns: RedriveAllowPolicy.sourceQueues?.map(arn) })
  }
  if (Policy) attributes.Policy = JSON.stringify(Policy)
  return attributes
}

/**
 * Creates the queues that do not exist and sets the attributes and tags that differ; what a spec does not name is
 * left as it is, and so are queues without a spec. Redrive policies are set once every queue exists, so a
 * dead-letter queue may be declared after its sources (or two queues name each other).
 */
export async function applyQueues(engine: Engine, accountId: string, specs: QueueSpec[]): Promise<AppliedQueues> {
  // each queue as it now is, where known without reading it again (not after an update)
  const outcomes = await Promise.all(specs.map((spec) => naming(spec.name, async (): Promise<{ outcome: keyof AppliedQueues; queue?: Queue }> => {
    const { RedrivePolicy, ...attributes } = spec.attributes
    const existing = await engine.getQueue(accountId, spec.name).catch((error: unknown) => {
      if (error instanceof QueueDoesNotExist) return null
      throw error
    })
    if (!existing) return { outcome: 'created', queue: await engine.createQueue({ accountId, name: spec.name, attributes, tags: spec.tags }) }
    return (await update(engine, existing, attributes, spec.tags)) ? { outcome: 'updated' } : { outcome: 'unchanged', queue: existing }
  })))
  await Promise.all(specs.map((spec, i) => naming(spec.name, async () => {
    const { RedrivePolicy } = spec.attributes
    if (!RedrivePolicy) return
    const known = outcomes[i]!
    const changed = await update(engine, known.queue ?? await engine.getQueue(accountId, spec.name), { RedrivePolicy }, {})
    if (changed && known.outcome === 'unchanged') known.outcome = 'updated'
  })))
  const named = (outcome: keyof AppliedQueues) => specs.filter((_, i) => outcomes[i]!.outcome === outcome).map((spec) => spec.name).sort()
  return { created: named('created'), updated: named('updated'), unchanged: named('unchanged') }
}

/**
 * Sets the tags and attributes that differ; true when any did. Each engine call writes the queue's attributes and
 * tags whole, from the copy it is given: the attributes are set on the queue as the tags left it.
 */
async function update(engine: Engine, queue: Queue, attributes: Record<string, string>, tags: Record<string, string>): Promise<boolean> {
  const newTags = differing(queue.tags, tags)
  if (newTags) await engine.tagQueue(queue, newTags)
  const newAttributes = differing(queue.attributes, attributes)
  if (newAttributes) await engine.setQueueAttributes(newTags ? await engine.getQueue(queue.accountId, queue.name) : queue, newAttributes)
  return Boolean(newTags || newAttributes)
}

function differing(current: Record<string, string>, wanted: Record<string, string>): Record<string, string> | undefined {
  const changes = Object.entries(wanted).filter(([key, value]) => current[key] !== value)
  return changes.length ? Object.fromEntries(changes) : undefined
}

/** Runs one queue's work; a failure names the queue. */
async function naming<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw new QueueNotApplied(name, error)
  }
}
