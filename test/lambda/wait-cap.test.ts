/**
 * functions/api.ts with its long polls capped (DQS_MAX_WAIT_SECONDS, as sst.config.ts sets it): a receive waits at
 * most the cap, whatever it asks, and a message sent meanwhile is still delivered.
 */
import { SQS } from '@aws-sdk/client-sqs'
import { SQS as LegacySQS } from 'sqs-legacy'
import { beforeAll, describe, expect, it } from 'vitest'
import { uniqueQueueName } from '../support/clients.js'
import { coldStartApi } from './linked.js'
import { functionUrlHost, lambdaTransport, type LambdaHandler } from './transport.js'

const credentials = { accessKeyId: 'AKIDWAITCAP00000001', secretAccessKey: 'wait-cap-secret' }
const capSeconds = 3
let handler: LambdaHandler

beforeAll(async () => {
  handler = await coldStartApi(
    { credentials: `${credentials.accessKeyId}:${credentials.secretAccessKey}:444444444444`, receiptKey: 'wait-cap-receipt-key' },
    { DQS_MAX_WAIT_SECONDS: String(capSeconds) },
  )
})

function sqs(dialect: 'json' | 'query'): SQS {
  const Client = dialect === 'json' ? SQS : LegacySQS
  return new Client({ endpoint: `https://${functionUrlHost}`, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: lambdaTransport(handler) }) as unknown as SQS
}

describe.each(['json', 'query'] as const)('a Lambda function with long polls capped, over %s', (dialect) => {
  it('answers a 20 s receive on an empty queue with nothing once the cap has passed', async () => {
    const client = sqs(dialect)
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('cap') })
    const started = performance.now()
    const { Messages } = await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 })
    const waitedMs = performance.now() - started
    expect(Messages).toBeUndefined()
    expect(waitedMs).toBeGreaterThanOrEqual(capSeconds * 1000 - 50)
    // about the cap: far below the 20 s asked for, however slow a loaded machine is
    expect(waitedMs).toBeLessThan(capSeconds * 1000 + 8_000)
  })

  it('caps a queue\'s ReceiveMessageWaitTimeSeconds the same way', async () => {
    const client = sqs(dialect)
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('cap-queue'), Attributes: { ReceiveMessageWaitTimeSeconds: '20' } })
    const started = performance.now()
    expect((await client.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
    expect(performance.now() - started).toBeLessThan(capSeconds * 1000 + 8_000)
  })

  it('delivers a message sent during a capped wait to the waiting receive', async () => {
    const client = sqs(dialect)
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('cap-send') })
    const started = performance.now()
    const polling = client.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 })
    await new Promise((resolve) => setTimeout(resolve, 500))
    await client.sendMessage({ QueueUrl, MessageBody: 'during the wait' })
    const { Messages } = await polling
    expect(Messages?.map((m) => m.Body)).toEqual(['during the wait'])
    // the send woke it: it did not wait out the cap first
    expect(performance.now() - started).toBeLessThan(capSeconds * 1000)
  })
})
