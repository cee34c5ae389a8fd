/** @module bench/scenarios/cost — DynamoDB units per message (send + receive + delete) and per idle long poll, from a metered in-process DQS. */
import type { SQS } from '@aws-sdk/client-sqs'
import { createDb, loadConfig } from '@dqs/core'
import { randomBytes } from 'node:crypto'
import { makeBody, type BodyKind } from '../support/bodies.js'
import { CapacityMeter, type TallyKey } from '../support/capacity-meter.js'
import { serveInProcess } from '../support/in-process-server.js'
import { repeat } from '../support/load-loop.js'
import { sqsClient } from '../support/sqs-client.js'

/** On-demand prices, us-east-1, per million units; SQS per million requests. */
export const prices = { wru: 0.625, rru: 0.125, sqsRequest: 0.4 }

export interface CostCase {
  body: BodyKind
  pattern: 'batched' | 'unbatched'
  /** FIFO queue with this many groups; standard when absent */
  fifoGroups?: number
}

export interface CostRow extends CostCase {
  messages: number
  /** AWS-billed write units per message, by the SQS action that caused them */
  wru: { send: number; receive: number; failedConditions: number; delete: number; other: number; total: number }
  rru: number
  /** as DynamoDB Local reported them (no minimums, transactions under-reported, failed conditions absent) */
  reported: { wru: number; rru: number }
  dynamoRequestsPerMessage: { send: number; receive: number; delete: number }
  dollarsPerMillion: number
}

export interface IdlePoll {
  seconds: number
  queriesPerSecond: number
  rruPerSecond: number
  dollarsPerMonth: number
}

const sends = new Set(['SendMessage', 'SendMessageBatch'])
const deletes = new Set(['DeleteMessage', 'DeleteMessageBatch'])

function rowFrom(meter: CapacityMeter, c: CostCase, messages: number): CostRow {
  const per = (match: (k: TallyKey) => boolean, field: 'billed' | 'reported' | 'calls' = 'billed') => meter.sum(match, field) / messages
  const write = (k: TallyKey) => k.kind === 'write'
  const wru = {
    send: per((k) => write(k) && sends.has(k.action)),
    receive: per((k) => write(k) && k.action === 'ReceiveMessage' && !k.failed),
    failedConditions: per((k) => write(k) && k.failed),
    delete: per((k) => write(k) && deletes.has(k.action) && !k.failed),
    other: per((k) => write(k) && !k.failed && !sends.has(k.action) && !deletes.has(k.action) && k.action !== 'ReceiveMessage'),
    total: per(write),
  }
  const rru = per((k) => k.kind === 'read')
  return {
    ...c, messages, wru, rru,
    reported: { wru: per(write, 'reported'), rru: per((k) => k.kind === 'read', 'reported') },
    dynamoRequestsPerMessage: {
      send: per((k) => sends.has(k.action), 'calls'),
      receive: per((k) => k.action === 'ReceiveMessage', 'calls'),
      delete: per((k) => deletes.has(k.action), 'calls'),
    },
    dollarsPerMillion: wru.total * prices.wru + rru * prices.rru,
  }
}

export interface MeteredServer {
  url: string
  client: SQS
  meter: CapacityMeter
  close(): Promise<void>
}

/** DQS in this process on a metered document client; each request's calls are attributed to its SQS action. */
export async function startMeteredServer(options: { dynamoEndpoint: string; tablePrefix: string }): Promise<MeteredServer> {
  const meter = new CapacityMeter()
  const db = meter.wrap(createDb({ endpoint: options.dynamoEndpoint, region: 'us-east-1' }))
  const config = loadConfig({ DQS_PORT: '0', DQS_DYNAMODB_ENDPOINT: options.dynamoEndpoint, DQS_TABLE_PREFIX: options.tablePrefix })
  const action = (request: Request) => (request.headers.get('x-amz-target') ?? '').replace('AmazonSQS.', '') || 'other'
  const server = await serveInProcess(config, db, (fetch) => (request) => meter.scope.run(action(request), () => fetch(request)))
  const client = sqsClient(server.url)
  return {
    url: server.url,
    client,
    meter,
    async close() {
      client.destroy()
      await server.close()
      db.destroy()
    },
  }
}

async function createQueue(client: SQS, c: { fifoGroups?: number }) {
  const fifo = c.fifoGroups !== undefined
  const { QueueUrl } = await client.createQueue({ QueueName: `cost-${randomBytes(4).toString('hex')}${fifo ? '.fifo' : ''}`, Attributes: fifo ? { FifoQueue: 'true' } : {} })
  return QueueUrl!
}

/** Sends `messages`, then 4 consumers receive and delete them all; every DynamoDB call in between is tallied. */
export async function measureCase({ client, meter }: MeteredServer, c: CostCase, messages: number): Promise<CostRow> {
  const QueueUrl = await createQueue(client, c)
  const batch = c.pattern === 'batched' ? 10 : 1
  let sequence = 0
  const entry = () => {
    const key = `c${sequence++}`
    return { MessageBody: makeBody(c.body, key), ...(c.fifoGroups ? { MessageGroupId: `g${sequence % c.fifoGroups}`, MessageDeduplicationId: key } : {}) }
  }
  meter.reset()
  await repeat(messages / batch, 2, () => batch === 1
    ? client.sendMessage({ QueueUrl, ...entry() })
    : client.sendMessageBatch({ QueueUrl, Entries: Array.from({ length: batch }, (_, i) => ({ Id: String(i), ...entry() })) }))
  let deleted = 0
  const done = new AbortController()
  const deadline = performance.now() + 120_000
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (deleted < messages) {
      if (performance.now() > deadline) throw new Error(`cost ${c.body}/${c.pattern}: only ${deleted} of ${messages} messages came back in 120 s`)
      const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: batch, WaitTimeSeconds: 1 }, { abortSignal: done.signal })
        .catch((error): { Messages?: undefined } => {
          if (done.signal.aborted) return {}
          throw error
        })
      if (batch === 1 && Messages[0]) await client.deleteMessage({ QueueUrl, ReceiptHandle: Messages[0].ReceiptHandle! })
      if (batch > 1 && Messages.length) await client.deleteMessageBatch({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) })
      deleted += Messages.length
    }
    done.abort()
  }))
  const row = rowFrom(meter, c, messages)
  await client.deleteQueue({ QueueUrl })
  return row
}

/** One receive long-polling an empty queue for `seconds`: what an idle consumer costs. */
export async function measureIdlePoll({ client, meter }: MeteredServer, seconds: number): Promise<IdlePoll> {
  const QueueUrl = await createQueue(client, {})
  meter.reset()
  const started = performance.now()
  await client.receiveMessage({ QueueUrl, WaitTimeSeconds: seconds })
  const elapsed = (performance.now() - started) / 1000
  const rruPerSecond = meter.sum((k) => k.kind === 'read') / elapsed
  await client.deleteQueue({ QueueUrl })
  return {
    seconds: elapsed,
    queriesPerSecond: meter.sum((k) => k.operation === 'Query', 'calls') / elapsed,
    rruPerSecond,
    dollarsPerMonth: (rruPerSecond * 30 * 86_400 * prices.rru) / 1e6,
  }
}

/** SQS's price for the same work: 3 requests per message unbatched, 3 per 10 batched, one request per 20 s idle poll. */
export const sqsCost = {
  unbatchedDollarsPerMillion: 3 * prices.sqsRequest,
  batchedDollarsPerMillion: (3 / 10) * prices.sqsRequest,
  idlePollDollarsPerMonth: (((30 * 86_400) / 20) * prices.sqsRequest) / 1e6,
}
