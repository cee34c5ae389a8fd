/** @module engine — the queue engine's public surface: one object, bound to its storage, clock and config. */
import type { Queue } from '../model/queue.js'
import type { EngineDeps } from './deps.js'
import { nextDueAt } from './next-due.js'
import { EngineState } from './state.js'
import { entryErrorOrThrow, SqsError } from '../errors.js'
import { limits } from '../limits.js'
import { queueSettings } from '../model/queue.js'
import { approximateCounts } from './counts.js'
import { checkInFlight } from './in-flight.js'
import { PollWatchers, watchTimings, type WatchTimings } from './long-poll.js'
import type { SendEntry } from './message-input.js'
import { getQueueAttributes, setQueueAttributes, type ApproximateCounts } from './queue-attributes.js'
import { changeVisibilityStandard, deleteStandard } from './standard/acknowledge.js'
import { receiveStandardOnce, type ReceivedMessage } from './standard/receive.js'
import { sendStandard, type SendResult } from './standard/send.js'
import { addPermission, removePermission, tagQueue, untagQueue } from './queue-tags.js'
import { changeVisibilityFifo, deleteFifo } from './fifo/acknowledge.js'
import { receiveFifoOnce } from './fifo/receive.js'
import { receiveWithAttemptId } from './fifo/receive-attempt.js'
import { sendFifo } from './fifo/send.js'
import { runMoveTasks } from './move-task-runner.js'
import { deletePeekedMessage, oldestMessageAge, peekGroup, peekMessages, type PeekOptions } from './peek.js'
import { cancelMessageMoveTask, listMessageMoveTasks, startMessageMoveTask, type StartMoveTaskInput } from './move-tasks.js'
import {
  createQueue, deleteQueue, getQueue, listDeadLetterSourceQueues, listQueues, purgeQueue, type CreateQueueInput,
} from './queues.js'

type Options<F> = F extends (deps: EngineDeps, first: never, options: infer O) => unknown ? O : never

export interface ReceiveOptions {
  maxNumberOfMessages: number
  visibilityTimeout?: number
  waitTimeSeconds?: number
  receiveRequestAttemptId?: string
  /**
   * Aborts when the caller goes away (its answer cannot be delivered): a waiting poll stops, and messages claimed
   * for it are released.
   */
  signal?: AbortSignal
}

export interface EngineOptions {
  /** SQS's cap on in-flight messages per standard queue (lowered in tests). */
  inFlightLimit?: number
  /**
   * Waiting polls look at the queue's counts item every `probeMs` (one read) for what other instances sent. Off where
   * the messages table's stream tells this instance of their changes (the local server's stream tail).
   */
  probeCounts?: boolean
  /** Default: `watchTimings.probing` or `.tailing`, as `probeCounts` says. */
  watchTimings?: Partial<WatchTimings>
  /** The longest a receive waits on this instance, whatever it asks (Config.maxWaitSeconds); default SQS's 20 s. */
  maxWaitSeconds?: number
}

export class Engine {
  /** The waiting long polls of this instance, one watch per queue; sends, releases and stream changes wake them. */
  readonly polls: PollWatchers
  /** Storage, clock and configuration as given, with this instance's own state (engine/state.ts). */
  readonly deps: EngineDeps
  private readonly inFlightLimit: number
  private readonly probeCounts: boolean
  private readonly maxWaitSeconds: number

  constructor(deps: Omit<EngineDeps, 'state'>, options: EngineOptions = {}) {
    this.deps = { ...deps, state: new EngineState() }
    this.inFlightLimit = options.inFlightLimit ?? limits.inFlightPerQueue
    this.probeCounts = options.probeCounts ?? true
    this.maxWaitSeconds = options.maxWaitSeconds ?? limits.maxWaitTimeSeconds
    const timings = this.probeCounts ? watchTimings.probing : watchTimings.tailing
    this.polls = new PollWatchers(deps.clock, { ...timings, ...options.watchTimings })
  }

  createQueue(input: CreateQueueInput) { return createQueue(this.deps, input) }
  getQueue(accountId: string, name: string) { return getQueue(this.deps, accountId, name) }
  listQueues(accountId: string, options: Options<typeof listQueues>) { return listQueues(this.deps, accountId, options) }
  listDeadLetterSourceQueues(queue: Queue, options: Options<typeof listDeadLetterSourceQueues>) {
    return listDeadLetterSourceQueues(this.deps, queue, options)
  }
  deleteQueue(queue: Queue) { return deleteQueue(this.deps, queue) }
  purgeQueue(queue: Queue) { return purgeQueue(this.deps, queue) }
  getQueueAttributes(queue: Queue, names: string[]) {
    return getQueueAttributes(this.deps, queue, names, (q) => approximateCounts(this.deps, q, { readYourWrites: true }))
  }
  setQueueAttributes(queue: Queue, input: Record<string, string>) { return setQueueAttributes(this.deps, queue, input) }
  tagQueue(queue: Queue, tags: Record<string, string>) { return tagQueue(this.deps, queue, tags) }
  untagQueue(queue: Queue, keys: string[]) { return untagQueue(this.deps, queue, keys) }
  addPermission(queue: Queue, input: Parameters<typeof addPermission>[2]) { return addPermission(this.deps, queue, input) }
  removePermission(queue: Queue, label: string) { return removePermission(this.deps, queue, label) }

  approximateCounts(queue: Queue): Promise<ApproximateCounts> {
    return approximateCounts(this.deps, queue)
  }

  /**
   * SendMessage(Batch): a result per entry, in order; invalid entries fail alone. `batch` for SendMessageBatch,
   * where on a FIFO queue an entry without MessageGroupId (or a needed MessageDeduplicationId) fails the whole
   * request as InvalidParameterValue, where SendMessage answers MissingParameter.
   */
  async sendMessages(queue: Queue, entries: SendEntry[], senderId: string, options: { batch?: boolean } = {}): Promise<SendResult[]> {
    const results = queue.fifo
      ? await sendFifo(this.deps, queue, entries, senderId, options.batch ?? false)
      : await sendStandard(this.deps, queue, entries, senderId)
    // polls waiting here look where the messages went: a standard message's shard, when it is visible at once
    const shardsAt = new Map<number, number[]>()
    for (const result of results) {
      if (!result.ok || result.value.visibleAt === undefined) continue
      const shards = shardsAt.get(result.value.visibleAt) ?? []
      if (result.value.shard !== undefined) shards.push(result.value.shard)
      shardsAt.set(result.value.visibleAt, shards)
    }
    for (const [at, shards] of shardsAt) this.polls.notifyAt(queue.id, at, shards.length ? shards : undefined)
    return results
  }

  /**
   * ReceiveMessage: returns as soon as something is claimed, or when the wait (request or queue default, at most
   * `maxWaitSeconds`) ends.
   */
  async receiveMessages(queue: Queue, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const settings = queueSettings(queue)
    const waitSeconds = options.waitTimeSeconds ?? settings.receiveMessageWaitTimeSeconds
    // FIFO queues answer nothing rather than OverLimit at the in-flight cap (docs/reference/sqs.md headline 2); a
    // long poll the cap shortens to nothing is still a long poll
    if (waitSeconds === 0 && !queue.fifo) checkInFlight(this.deps, queue, this.inFlightLimit, (q) => this.approximateCounts(q))
    const attempt = { max: options.maxNumberOfMessages, visibilityTimeout: options.visibilityTimeout ?? settings.visibilityTimeout }
    const receive = async () => {
      const found = await this.polls.longPoll({
        queueId: queue.id,
        waitMs: Math.min(waitSeconds, this.maxWaitSeconds) * 1000,
        signal: options.signal,
        attempt: (hint) => (queue.fifo ? receiveFifoOnce(this.deps, queue, attempt) : receiveStandardOnce(this.deps, queue, { ...attempt, shards: hint?.shards })),
        probe: this.probeCounts ? () => this.approximateCounts(queue).then((counts) => counts.visible > 0) : undefined,
        nextDue: () => nextDueAt(this.deps, queue),
      })
      if (found.length && options.signal) {
        if (options.signal.aborted) {
          await this.releaseMessages(queue, found)
          return []
        }
        // the caller may still go away before the answer is written: an abort then says it never arrived
        options.signal.addEventListener('abort', () => void this.releaseMessages(queue, found), { once: true })
      }
      // what is not deleted by then is receivable again: polls waiting here then should look
      if (found.length) this.polls.notifyAt(queue.id, found[0]!.visibleAt)
      return found
    }
    // ReceiveRequestAttemptId applies to FIFO queues only; standard queues ignore it
    if (queue.fifo && options.receiveRequestAttemptId !== undefined) {
      return receiveWithAttemptId(this.deps, queue, options.receiveRequestAttemptId, receive)
    }
    return receive()
  }

  async deleteMessage(queue: Queue, receiptHandle: string) {
    const [error] = await this.deleteMessageBatch(queue, [receiptHandle])
    if (error) throw error
  }

  /** DeleteMessageBatch: an error or null per handle, in order. */
  async deleteMessageBatch(queue: Queue, receiptHandles: string[]): Promise<Array<SqsError | null>> {
    if (!queue.fifo) return deleteStandard(this.deps, queue, receiptHandles)
    // a group freed by a delete can feed one receive: waking every poller would only have them race for it
    return Promise.all(receiptHandles.map((handle) =>
      deleteFifo(this.deps, queue, handle, () => this.polls.notify(queue.id)).then(() => null, entryErrorOrThrow)))
  }

  /** StartMessageMoveTask: the task's handle; the moving is done by `runMoveTasks`. */
  startMessageMoveTask(accountId: string, input: StartMoveTaskInput) {
    return startMessageMoveTask(this.deps, accountId, input, (q) => approximateCounts(this.deps, q, { readYourWrites: true }))
  }
  listMessageMoveTasks(accountId: string, sourceArn: string, maxResults: number) {
    return listMessageMoveTasks(this.deps, accountId, sourceArn, maxResults)
  }
  cancelMessageMoveTask(accountId: string, taskHandle: string) { return cancelMessageMoveTask(this.deps, accountId, taskHandle) }
  /** One mover run over every active move task (`owner` names this mover for the task leases). */
  runMoveTasks(owner: string, budgetMs: number) {
    return runMoveTasks(this.deps, { owner, budgetMs, onMoved: (queue) => this.polls.notify(queue.id) })
  }

  /** The console's look into a queue: a page of messages (FIFO: of message groups), read only (engine/peek.ts). */
  peekMessages(queue: Queue, options: PeekOptions) { return peekMessages(this.deps, queue, options) }
  /** The next messages of one FIFO group after a peek's page. */
  peekGroup(queue: Queue, more: string, limit: number) { return peekGroup(this.deps, queue, more, limit) }
  /** Seconds since the oldest message arrived, or null for an empty queue (engine/peek.ts says how and at what cost). */
  oldestMessageAge(queue: Queue) { return oldestMessageAge(this.deps, queue) }
  /** Deletes the message a peek named; a FIFO group it frees can be received at once. */
  async deletePeekedMessage(queue: Queue, ref: string) {
    await deletePeekedMessage(this.deps, queue, ref)
    if (queue.fifo) this.polls.notify(queue.id)
  }

  /**
   * Messages claimed for a caller that went away before they could be answered (or that its answer cannot hold)
   * are visible again at once (FIFO: their group is receivable), rather than hidden for a visibility timeout
   * nobody will use. Their receive counts keep the receive, as SQS counts every receive it made. Best effort: one
   * that fails comes back when its visibility timeout ends, as it would have anyway.
   */
  async releaseMessages(queue: Queue, messages: ReceivedMessage[]) {
    await Promise.all(messages.map((message) => this.changeMessageVisibility(queue, message.receiptHandle, 0).catch(() => undefined)))
  }

  async changeMessageVisibility(queue: Queue, receiptHandle: string, visibilityTimeout: number) {
    if (queue.fifo) {
      await changeVisibilityFifo(this.deps, queue, receiptHandle, visibilityTimeout, () => this.polls.notify(queue.id))
    } else {
      await changeVisibilityStandard(this.deps, queue, receiptHandle, visibilityTimeout)
    }
    this.polls.notifyAt(queue.id, this.deps.clock.now() + visibilityTimeout * 1000)
  }
}
