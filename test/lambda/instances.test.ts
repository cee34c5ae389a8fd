/** Two cold-started copies of functions/api.ts share nothing but DynamoDB, as two Lambda instances would. */
import { SQS } from '@aws-sdk/client-sqs'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { watchTimings } from '../../packages/core/src/engine/long-poll.js'
import { uniqueQueueName } from '../support/clients.js'
import { deployedApiEnv } from './linked.js'
import { functionUrlHost, lambdaTransport, type LambdaHandler } from './transport.js'

const credentials = { accessKeyId: 'AKIDINSTANCES000001', secretAccessKey: 'instances-secret' }
let first: LambdaHandler
let second: LambdaHandler

/** A fresh module graph per import: its own config, DynamoDB client, engine, notifier and queue cache. */
async function coldStart(): Promise<LambdaHandler> {
  vi.resetModules()
  return (await import('../../functions/api.js')).handler as unknown as LambdaHandler
}

beforeAll(async () => {
  // both instances decrypt the same bundle's secrets, as two instances of one deployed version do
  Object.assign(process.env, deployedApiEnv({ credentials: `${credentials.accessKeyId}:${credentials.secretAccessKey}:333333333333`, receiptKey: 'instances-receipt-key' }))
  first = await coldStart()
  second = await coldStart()
})

const through = (handler: LambdaHandler) =>
  new SQS({ endpoint: `https://${functionUrlHost}`, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: lambdaTransport(handler) })

describe('two function instances', () => {
  it('are separate: a queue made on one is used on the other, handles work across them', async () => {
    expect(first).not.toBe(second)
    const { QueueUrl } = await through(first).createQueue({ QueueName: uniqueQueueName('instances') })
    await through(second).sendMessage({ QueueUrl, MessageBody: 'across' })
    const { Messages } = await through(first).receiveMessage({ QueueUrl })
    await through(second).deleteMessage({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle! })
    expect((await through(first).receiveMessage({ QueueUrl })).Messages).toBeUndefined()
  })

  it('deliver a send on one to a long poll waiting on the other within a probe of the counts once the counts show it', async () => {
    const { QueueUrl } = await through(first).createQueue({ QueueName: uniqueQueueName('wakeup') })
    const polling = through(second).receiveMessage({ QueueUrl, WaitTimeSeconds: 10 })
    await new Promise((resolve) => setTimeout(resolve, 3000))
    await through(first).sendMessage({ QueueUrl, MessageBody: 'wake up' })
    const sentAt = performance.now()
    const { Messages } = await polling
    const waitedMs = performance.now() - sentAt
    expect(Messages?.[0]?.Body).toBe('wake up')
    // the counts' lag behind the stream (the run's server follows it, every 250 ms), one probe interval and a receive
    // round trip on DynamoDB Local, which a loaded machine stretches: far below the 10 s the poll would wait if only
    // its end noticed the message
    expect(waitedMs).toBeLessThan(watchTimings.probing.probeMs + 3_000)
  })
})
