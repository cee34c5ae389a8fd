/** Helpers for the client tests: an SQSClient on the test server, fresh queues (with a dead-letter queue), waiting. */
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs'
import { expect, vi } from 'vitest'
import { endpoint, uniqueQueueName } from '../support/clients.js'

/** A plain `@aws-sdk/client-sqs` client on the DQS test server, as users of the package create one. */
export function sqsClient() {
  return new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
}

/** Creates a queue with a fresh name; returns its name and URL. */
export async function createQueue(client: SQSClient, prefix: string, attributes: Record<string, string> = {}, fifo = false) {
  const name = uniqueQueueName(prefix, fifo)
  const { QueueUrl } = await client.send(new CreateQueueCommand({
    QueueName: name, Attributes: { ...attributes, ...(fifo ? { FifoQueue: 'true' } : {}) },
  }))
  return { name, url: QueueUrl! }
}

/** A queue whose RedrivePolicy moves messages to a fresh dead-letter queue after `maxReceiveCount` receives. */
export async function createQueueWithDlq(client: SQSClient, prefix: string, maxReceiveCount: number, attributes: Record<string, string> = {}) {
  const dlq = await createQueue(client, `${prefix}-dlq`)
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.url, AttributeNames: ['QueueArn'] }))
  const source = await createQueue(client, prefix, {
    ...attributes,
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount }),
  })
  return { source, dlq }
}

/** One long poll of up to a second, with every attribute. */
async function receiveSome(client: SQSClient, url: string): Promise<Message[]> {
  const { Messages = [] } = await client.send(new ReceiveMessageCommand({
    QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'],
  }))
  return Messages
}

/** Everything receivable from a queue right now: receives until a one-second long poll comes back empty. */
export async function drain(client: SQSClient, url: string): Promise<Message[]> {
  const all: Message[] = []
  for (let batch = await receiveSome(client, url); batch.length > 0; batch = await receiveSome(client, url)) all.push(...batch)
  return all
}

/** Waits until `condition` holds, polling; fails the test with `what` after `timeoutMs`. */
export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 20_000) {
  await vi.waitFor(() => expect(condition(), what).toBe(true), { timeout: timeoutMs, interval: 20 })
}

/** Counts the SQS commands a client sends, by command name (the spy lets every call through). */
export function spyOnCommands(client: SQSClient) {
  const spy = vi.spyOn(client, 'send')
  const inputs = (name: string) =>
    spy.mock.calls.filter(([command]) => command.constructor.name === name).map(([command]) => command.input as Record<string, unknown>)
  return { spy, inputs }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Receives from a queue until `count` messages have come (they stay in flight), failing after `timeoutMs`. */
export async function receiveCount(client: SQSClient, url: string, count: number, timeoutMs = 20_000): Promise<Message[]> {
  const all: Message[] = []
  const deadline = Date.now() + timeoutMs
  while (all.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} messages on ${url}, got ${all.length}`)
    all.push(...await receiveSome(client, url))
  }
  return all
}
