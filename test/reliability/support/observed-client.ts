/** @module test/reliability/support/observed-client — raw-HTTP producers and consumers that check every answer against what reached DynamoDB. */
import { sleep } from '../../../bench/support/stats.js'
import type { RawDialect } from './dialects.js'
import type { FaultProxy } from './fault-proxy.js'
import { bodyFor, type Ledger } from './ledger.js'
import { problemWith, send, type RawAnswer, type RawRequest } from './raw-http.js'

const writes = ['PutItem', 'BatchWriteItem', 'TransactWriteItems', 'UpdateItem', 'DeleteItem']
const anyOperation = [...writes, 'GetItem', 'Query', 'BatchGetItem', 'BatchExecuteStatement']

export class ObservedClient {
  /** the fault phase now running, to tally answers by */
  phase = 'clean'
  readonly figures = { requests: 0, ok: 0, unavailable: 0, malformed: 0, okWithoutDynamo: 0, falseAcknowledgements: 0, networkErrors: 0 }
  readonly byPhase: Record<string, Record<string, number>> = {}
  /** answers that are not SQS-shaped, by phase and problem, with one body each */
  readonly problems: Record<string, { count: number; sample: string }> = {}

  constructor(private readonly endpoint: string, private readonly proxy: FaultProxy, private readonly ledger: Ledger, private readonly queueUrl: string) {}

  /** One request: the answer is checked and tallied; a 503 is honoured (Retry-After) before the caller goes on. */
  async call(dialect: RawDialect, raw: RawRequest): Promise<RawAnswer | null> {
    this.figures.requests++
    const requestedAt = performance.now()
    const answer = await send(this.endpoint, raw).catch(() => null)
    if (!answer) {
      this.figures.networkErrors++
      return null
    }
    const tally = (this.byPhase[this.phase] ??= {})
    tally[answer.status] = (tally[answer.status] ?? 0) + 1
    const problem = problemWith(dialect.name, answer)
    if (problem) {
      this.figures.malformed++
      const filed = (this.problems[`${this.phase}: ${problem}`] ??= { count: 0, sample: answer.text.slice(0, 300) })
      filed.count++
    }
    if (answer.status === 200) this.figures.ok++
    // every send, receive and delete reads or writes DynamoDB: a 200 while nothing got through swallowed an error
    if (answer.status === 200 && this.proxy.forwardedBetween(requestedAt, performance.now(), anyOperation) === 0) this.figures.okWithoutDynamo++
    if (answer.status === 503) {
      this.figures.unavailable++
      await sleep(Number(answer.headers['retry-after']) * 1000)
    }
    return answer.status === 200 ? answer : null
  }

  /** Batches of 10 until `stop`; an entry is acknowledged only when it is in Successful. */
  async produce(dialect: RawDialect, prefix: string, stop: AbortSignal) {
    for (let n = 0; !stop.aborted; n++) {
      const keys = Array.from({ length: 10 }, (_, i) => `${prefix}-${n}-${i}`)
      const requestedAt = performance.now()
      const answer = await this.call(dialect, dialect.sendBatch(this.queueUrl, keys.map((key, i) => ({ Id: String(i), MessageBody: bodyFor(key) }))))
      const ok = new Set(answer ? dialect.successfulIds(answer.text) : [])
      // an acknowledgement while no write reached DynamoDB is a lie, whatever happens later
      if (ok.size && this.proxy.forwardedBetween(requestedAt, performance.now(), writes) === 0) this.figures.falseAcknowledgements += ok.size
      keys.forEach((key, i) => this.ledger.sent(key, ok.has(String(i))))
    }
  }

  /** Receive (1 s long poll) and delete in a batch until `done()`. */
  async consume(dialect: RawDialect, done: () => boolean) {
    while (!done()) {
      const requestedAt = performance.now()
      const answer = await this.call(dialect, dialect.receive(this.queueUrl, 1))
      if (!answer) this.ledger.receiveFailed()
      const messages = answer ? dialect.messages(answer.text) : []
      this.ledger.received(messages, requestedAt, performance.now())
      if (messages.length === 0) continue
      const deleted = await this.call(dialect, dialect.deleteBatch(this.queueUrl, messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }))))
      const ok = new Set(deleted ? dialect.successfulIds(deleted.text) : [])
      this.ledger.deleted(messages.filter((_, i) => ok.has(String(i))).map((m) => m.Body))
    }
  }
}
