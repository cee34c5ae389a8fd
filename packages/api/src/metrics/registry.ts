/**
 * @module metrics/registry — DQS's Prometheus metrics, kept with prom-client (which writes the exposition format).
 *
 * - Process-wide (an operator's figures, no queue names): SQS requests by action and outcome, their latency, and
 *   every DynamoDB request of the process with the capacity units it consumed, its throttles and retries.
 * - Per queue of the caller's account (a scrape shows that account's queues only, labelled `queue`): messages sent, received, deleted and moved to a
 *   dead-letter queue per queue (counters, since this process started), and the queue gauges — visible, in flight,
 *   delayed, age of the oldest message — read at scrape time for at most `maxQueuesPerScrape` queues.
 */
import type { Engine, EngineMetrics, Queue } from '@dqs/core'
import { Counter, Gauge, Histogram, Registry } from './prom-client.js'

/** Queues whose gauges one scrape reads (by name order); the rest are counted in `dqs_metrics_queues_omitted`. */
export const maxQueuesPerScrape = 100
/** Queues read at once during a scrape. */
const scrapeConcurrency = 8

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30]

interface QueueCounters {
  registry: Registry
  sent: Counter<'queue'>
  received: Counter<'queue'>
  deleted: Counter<'queue'>
  deadLettered: Counter<'queue'>
}

export type RequestOutcome = 'success' | 'client_error' | 'server_error'

export class DqsMetrics implements EngineMetrics {
  /** Process-wide metrics. */
  readonly registry = new Registry()
  private readonly accounts = new Map<string, QueueCounters>()

  private readonly requests = new Counter({
    name: 'dqs_requests_total',
    help: 'SQS API requests by action and outcome (success, client_error with its error code, server_error).',
    labelNames: ['action', 'outcome', 'code'] as const,
    registers: [this.registry],
  })
  private readonly latency = new Histogram({
    name: 'dqs_request_duration_seconds',
    help: 'Time to answer an SQS API request, by action (ReceiveMessage includes its long-poll wait).',
    labelNames: ['action'] as const,
    buckets: latencyBuckets,
    registers: [this.registry],
  })
  readonly dynamoRequests = new Counter({
    name: 'dqs_dynamodb_requests_total',
    help: 'DynamoDB requests by operation and outcome (success, condition_failed, throttled, error), after the SDK retries.',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  })
  readonly dynamoReadUnits = new Counter({
    name: 'dqs_dynamodb_consumed_read_units_total',
    help: 'Read capacity units DynamoDB reported as consumed, by operation and table.',
    labelNames: ['operation', 'table'] as const,
    registers: [this.registry],
  })
  readonly dynamoWriteUnits = new Counter({
    name: 'dqs_dynamodb_consumed_write_units_total',
    help: 'Write capacity units DynamoDB reported as consumed, by operation and table (failed conditions report none).',
    labelNames: ['operation', 'table'] as const,
    registers: [this.registry],
  })
  readonly dynamoThrottles = new Counter({
    name: 'dqs_dynamodb_throttles_total',
    help: 'DynamoDB attempts refused for throughput (each attempt, including those the SDK then retried).',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  })
  readonly dynamoRetries = new Counter({
    name: 'dqs_dynamodb_retries_total',
    help: 'DynamoDB attempts beyond the first that the SDK made, by operation.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  })

  /** One SQS request answered: `status` is the HTTP status, `code` the SQS error shape when it failed. */
  request(action: string, status: number, code: string | undefined, seconds: number) {
    const outcome: RequestOutcome = status < 400 ? 'success' : status >= 500 ? 'server_error' : 'client_error'
    this.requests.inc({ action, outcome, code: outcome === 'success' ? '' : (code ?? String(status)) })
    this.latency.observe({ action }, seconds)
  }

  private countersOf(accountId: string): QueueCounters {
    let counters = this.accounts.get(accountId)
    if (counters) return counters
    const registry = new Registry()
    const counter = (name: string, help: string) => new Counter({ name, help, labelNames: ['queue'] as const, registers: [registry] })
    counters = {
      registry,
      sent: counter('dqs_queue_messages_sent_total', 'Messages sent to the queue through this process.'),
      received: counter('dqs_queue_messages_received_total', 'Messages received from the queue through this process (each receive of a message counts).'),
      deleted: counter('dqs_queue_messages_deleted_total', 'Messages deleted from the queue through this process.'),
      deadLettered: counter('dqs_queue_messages_dead_lettered_total', 'Messages of the queue moved to its dead-letter queue after maxReceiveCount receives.'),
    }
    this.accounts.set(accountId, counters)
    return counters
  }

  sent(queue: Queue, count: number) {
    if (count) this.countersOf(queue.accountId).sent.inc({ queue: queue.name }, count)
  }
  received(queue: Queue, count: number) {
    if (count) this.countersOf(queue.accountId).received.inc({ queue: queue.name }, count)
  }
  deleted(queue: Queue, count: number) {
    if (count) this.countersOf(queue.accountId).deleted.inc({ queue: queue.name }, count)
  }
  deadLettered(source: Queue, _target: Queue, count: number) {
    this.countersOf(source.accountId).deadLettered.inc({ queue: source.name }, count)
  }

  /** A deleted queue's series go (a queue of the same name starts from zero, as a new queue). */
  forgetQueue(queue: Queue) {
    const counters = this.accounts.get(queue.accountId)
    if (!counters) return
    for (const counter of [counters.sent, counters.received, counters.deleted, counters.deadLettered]) counter.remove({ queue: queue.name })
  }

  /**
   * The exposition for a scrape by `accountId`: the process-wide metrics, the account's counters, and its queues'
   * gauges read now (at most `maxQueuesPerScrape` queues whose names start with `prefix`, in name order, each with
   * one counts read and one oldest-message read).
   */
  async scrape(accountId: string, engine: Engine, options: { prefix?: string } = {}): Promise<{ contentType: string; body: string }> {
    const gauges = new Registry()
    const gauge = (name: string, help: string) => new Gauge({ name, help, labelNames: ['queue'] as const, registers: [gauges] })
    const visible = gauge('dqs_queue_messages_visible', 'Messages available for retrieval (ApproximateNumberOfMessages).')
    const inFlight = gauge('dqs_queue_messages_in_flight', 'Messages received and not yet deleted or visible again (ApproximateNumberOfMessagesNotVisible).')
    const delayed = gauge('dqs_queue_messages_delayed', 'Messages not yet available because of a delay (ApproximateNumberOfMessagesDelayed).')
    const age = gauge('dqs_queue_oldest_message_age_seconds', 'Age of the oldest message in the queue (absent when it is empty).')
    const omitted = new Gauge({ name: 'dqs_metrics_queues_omitted', help: `Queues of the account beyond the ${maxQueuesPerScrape} whose gauges a scrape reads.`, registers: [gauges] })

    const page = await engine.listQueues(accountId, { prefix: options.prefix, maxResults: maxQueuesPerScrape })
    let rest = 0
    for (let token = page.nextToken; token && rest < 100_000;) {
      const more = await engine.listQueues(accountId, { prefix: options.prefix, maxResults: 1000, nextToken: token })
      rest += more.items.length
      token = more.nextToken
    }
    omitted.set(rest)
    const queues = [...page.items]
    const work = async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        const labels = { queue: queue.name }
        try {
          const [attributes, oldest] = await Promise.all([
            engine.getQueueAttributes(queue, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']),
            engine.oldestMessageAge(queue),
          ])
          visible.set(labels, Number(attributes.ApproximateNumberOfMessages))
          inFlight.set(labels, Number(attributes.ApproximateNumberOfMessagesNotVisible))
          delayed.set(labels, Number(attributes.ApproximateNumberOfMessagesDelayed))
          if (oldest !== null) age.set(labels, oldest)
        } catch {
          // a queue deleted during the scrape has no figures
        }
      }
    }
    await Promise.all(Array.from({ length: scrapeConcurrency }, work))
    const registries = [this.registry, gauges]
    const counters = this.accounts.get(accountId)
    if (counters) registries.push(counters.registry)
    const merged = Registry.merge(registries)
    return { contentType: merged.contentType, body: await merged.metrics() }
  }
}
