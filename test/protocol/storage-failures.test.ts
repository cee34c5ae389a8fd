/**
 * Storage failures over HTTP: a send whose DynamoDB write may or may not have landed (the answer was lost), and a
 * receive whose every claim DynamoDB throttled, are answered 503 ServiceUnavailable in both dialects, so SDKs retry
 * them, never 500 and never 200. A receive whose claims DynamoDB refuses for good (no right to the table) is the
 * service's own fault: 500 InternalFailure, never an empty queue. The server process reaches DynamoDB through a
 * proxy that injects the faults.
 */
import type { SQS } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startFaultProxy, type FaultProxy } from '../reliability/support/fault-proxy.js'
import { jsonClient, queryClient, uniqueQueueName } from '../support/clients.js'
import { startServerProcess, type ServerProcess } from '../support/server-process.js'

let proxy: FaultProxy
let server: ServerProcess
let clients: Array<{ name: string; client: SQS }>
beforeAll(async () => {
  proxy = await startFaultProxy(inject('dynamoEndpoint'))
  // the queue's metadata stays cached for the whole test: only the sends' writes meet the faults
  server = await startServerProcess({ DQS_DYNAMODB_ENDPOINT: proxy.url, DQS_QUEUE_CACHE_MS: '600000', DQS_TAIL_STREAM: 'false' })
  clients = [{ name: 'JSON 1.0', client: jsonClient({ endpoint: server.url }) }, { name: 'Query', client: queryClient({ endpoint: server.url }) }]
}, 120_000)
afterAll(async () => {
  await server?.stop()
  await proxy?.close()
})

describe('a write whose outcome DynamoDB left unknown', () => {
  it('is answered 503 ServiceUnavailable in both dialects, and was written once', async () => {
    const [json] = clients
    const { QueueUrl } = await json!.client.createQueue({ QueueName: uniqueQueueName('ambiguous') })
    await json!.client.sendMessage({ QueueUrl, MessageBody: 'warm-up' })
    for (const { name, client } of clients) {
      proxy.setPlan({ rate: 1, faults: ['error500-after'] })
      const outcome = await client.sendMessage({ QueueUrl, MessageBody: `lost answer (${name})` }).then(() => 'answered 200', (error: unknown) => error)
      proxy.setPlan(null)
      expect(outcome, name).toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } })
    }
    const bodies: string[] = []
    for (let empty = 0; empty < 2;) {
      const { Messages = [] } = await json!.client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 })
      if (!Messages.length) empty++
      bodies.push(...Messages.map((m) => m.Body!))
    }
    expect(bodies.sort()).toEqual(['lost answer (JSON 1.0)', 'lost answer (Query)', 'warm-up'])
  }, 120_000)
})

const refusedClaims = [
  { how: 'throttles', fault: 'throttle-statements', answer: { name: 'ServiceUnavailable', status: 503 } },
  // a role without the table's rights: the service's own fault, which no retry mends
  { how: 'refuses (AccessDenied)', fault: 'deny-statements', answer: { name: 'InternalFailure', status: 500 } },
] as const

describe.each(refusedClaims)('a receive whose claims DynamoDB $how, statement by statement', ({ fault, answer }) => {
  it(`is answered ${answer.status} ${answer.name} in both dialects, not as an empty queue, and the message stays receivable`, async () => {
    const [json] = clients
    const { QueueUrl } = await json!.client.createQueue({ QueueName: uniqueQueueName(fault) })
    await json!.client.sendMessage({ QueueUrl, MessageBody: 'wanted' })
    for (const { name, client } of clients) {
      proxy.setPlan({ rate: 1, faults: [fault] })
      const outcome = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 }).then(() => 'answered 200', (error: unknown) => error)
      proxy.setPlan(null)
      expect(outcome, name).toMatchObject({ name: answer.name, $metadata: { httpStatusCode: answer.status } })
    }
    const { Messages = [] } = await json!.client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 })
    expect(Messages.map((m) => m.Body)).toEqual(['wanted'])
  }, 120_000)
})
