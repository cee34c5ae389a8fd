/**
 * @module console/data — what the console's pages show, read through the engine for the operator's account only
 * (queues are resolved as SQS actions resolve them: another account's queue does not exist here).
 */
import { parseQueueArn, type Engine, type Queue } from '@dqs/core'
import { resolveQueue, type ActionContext } from '../context.js'

export interface QueueRow {
  queue: Queue
  visible: number
  inFlight: number
  delayed: number
  /** Seconds, or null when empty. */
  oldestAge: number | null
  deadLetterQueue?: string
  sources: string[]
}

/** Queues listed on one page of the console's list. */
export const queuesPerPage = 50
/** Queues read at once for their counts. */
const concurrency = 8
/** Queues read to find redrive sources and destinations: the whole account, up to this many. */
const maxScannedQueues = 10_000

export const deadLetterQueueOf = (queue: Queue) => {
  if (!queue.attributes.RedrivePolicy) return undefined
  try {
    const arn = (JSON.parse(queue.attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn
    return arn ? (parseQueueArn(arn)?.name ?? arn) : undefined
  } catch {
    return undefined
  }
}

/** Every queue of the account (up to `maxScannedQueues`), 1,000 a read: redrive sources and move destinations. */
export async function accountQueues(engine: Engine, accountId: string): Promise<Queue[]> {
  const queues: Queue[] = []
  let token: string | undefined
  do {
    const page = await engine.listQueues(accountId, { maxResults: 1000, nextToken: token })
    queues.push(...page.items)
    token = page.nextToken
  } while (token && queues.length < maxScannedQueues)
  return queues
}

/** Dead-letter queue name → the queues that redrive to it. */
export function sourcesByDeadLetterQueue(queues: Queue[]): Map<string, string[]> {
  const sources = new Map<string, string[]>()
  for (const queue of queues) {
    const dlq = deadLetterQueueOf(queue)
    if (dlq) sources.set(dlq, [...(sources.get(dlq) ?? []), queue.name])
  }
  return sources
}

async function mapLimited<T, R>(items: T[], limit: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await each(items[i]!)
    }
  }))
  return results
}

/** Counts and age of one queue: GetQueueAttributes' counts (local servers read their writes) and the oldest message. */
export async function queueFigures(engine: Engine, queue: Queue) {
  const [attributes, oldestAge] = await Promise.all([
    engine.getQueueAttributes(queue, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']),
    engine.oldestMessageAge(queue),
  ])
  return {
    visible: Number(attributes.ApproximateNumberOfMessages),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed),
    oldestAge,
  }
}

/** One page of the queue list: names from `prefix`, after `token`, with counts, age and redrive links. */
export async function queueList(ctx: ActionContext, options: { prefix: string; token?: string }) {
  const page = await ctx.engine.listQueues(ctx.accountId, { prefix: options.prefix, maxResults: queuesPerPage, nextToken: options.token })
  const sources = sourcesByDeadLetterQueue(await accountQueues(ctx.engine, ctx.accountId))
  const rows = await mapLimited(page.items, concurrency, async (queue): Promise<QueueRow | null> => {
    try {
      return { queue, ...(await queueFigures(ctx.engine, queue)), deadLetterQueue: deadLetterQueueOf(queue), sources: sources.get(queue.name) ?? [] }
    } catch {
      return null // deleted meanwhile
    }
  })
  return { rows: rows.filter((r): r is QueueRow => r !== null), nextToken: page.nextToken }
}

/** Everything the queue page shows but the messages (those are peeked page by page). */
export async function queueDetail(ctx: ActionContext, name: string) {
  const queue = await resolveQueue(ctx, name)
  const all = await accountQueues(ctx.engine, ctx.accountId)
  const sources = sourcesByDeadLetterQueue(all).get(queue.name) ?? []
  const [attributes, figures] = await Promise.all([ctx.engine.getQueueAttributes(queue, ['All']), queueFigures(ctx.engine, queue)])
  const arn = attributes.QueueArn!
  const tasks = sources.length && !queue.fifo ? await ctx.engine.listMessageMoveTasks(ctx.accountId, arn, 10) : []
  return {
    queue, attributes, figures, sources, tasks, arn,
    deadLetterQueue: deadLetterQueueOf(queue),
    others: all.filter((q) => q.name !== queue.name && q.fifo === queue.fifo).map((q) => q.name),
  }
}

export type QueueDetail = Awaited<ReturnType<typeof queueDetail>>
