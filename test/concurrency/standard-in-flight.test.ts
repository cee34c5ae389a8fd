/**
 * A standard queue holding 2,000 received and undeleted messages, through real clients over HTTP: messages sent
 * afterwards are still received, by short and long polls alike, on the instance that holds the others or on another.
 */
import type { SQS } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { holdInFlight, inSlices } from '../support/backlog.js'
import { jsonClient, uniqueQueueName } from '../support/clients.js'
import { useServerProcesses } from '../support/server-process.js'

/** Instance A is the run's server; B and C are processes of this file's own. */
const viaRunServer = jsonClient()
const extra = useServerProcesses(2)

const inFlight = 2_000
const bodies = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`)

async function sendAll(client: SQS, QueueUrl: string, list: string[]) {
  await inSlices(list.length, { size: 10, parallel: 8 }, async (start, size) => {
    const Entries = list.slice(start, start + size).map((MessageBody, i) => ({ Id: `e${i}`, MessageBody }))
    const { Failed = [] } = await client.sendMessageBatch({ QueueUrl, Entries })
    expect(Failed).toEqual([])
  })
}

/** Sends `inFlight` messages and receives every one of them with a 10-minute visibility timeout, keeping them. */
async function holdBacklog(client: SQS, QueueUrl: string) {
  await sendAll(client, QueueUrl, bodies('held', inFlight))
  const held = await holdInFlight(inFlight, async (max) => {
    const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: max, VisibilityTimeout: 600 })
    return Messages.map((m) => m.Body!)
  })
  expect(new Set(held).size).toBe(inFlight)
}

/** Receives through `client` until `expected` have all come, or the deadline; every body received, in order. */
async function receiveUntil(client: SQS, QueueUrl: string, expected: string[], waitSeconds: number, withinMs: number) {
  const received: string[] = []
  const deadline = Date.now() + withinMs
  while (!expected.every((body) => received.includes(body)) && Date.now() < deadline) {
    const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600, WaitTimeSeconds: waitSeconds })
    received.push(...Messages.map((m) => m.Body!))
  }
  return received
}

describe('standard queue with 2,000 messages in flight, over HTTP', () => {
  it('returns messages sent afterwards to a short poll and to a 2 s long poll, and all of them soon', async () => {
    const { QueueUrl } = await viaRunServer.createQueue({ QueueName: uniqueQueueName('inflight') })
    await holdBacklog(viaRunServer, QueueUrl!)
    const later = bodies('later', 10)
    await sendAll(viaRunServer, QueueUrl!, later)

    // at most 4 each, so that both polls have messages left to find
    const { Messages: short = [] } = await viaRunServer.receiveMessage({ QueueUrl, MaxNumberOfMessages: 4, VisibilityTimeout: 600 })
    expect(short.length).toBeGreaterThan(0)
    const { Messages: long = [] } = await viaRunServer.receiveMessage({ QueueUrl, MaxNumberOfMessages: 4, VisibilityTimeout: 600, WaitTimeSeconds: 2 })
    expect(long.length).toBeGreaterThan(0)
    const polled = [...short, ...long].map((m) => m.Body!)
    const rest = await receiveUntil(viaRunServer, QueueUrl!, later.filter((b) => !polled.includes(b)), 1, 30_000)
    expect([...polled, ...rest].sort()).toEqual([...later].sort())
  }, 180_000)

  it('lets a third instance receive what a second sent behind 2,000 held through a first, each once', async () => {
    const { QueueUrl } = await viaRunServer.createQueue({ QueueName: uniqueQueueName('inflight3') })
    await holdBacklog(viaRunServer, QueueUrl!)
    const later = bodies('later', 10)
    const [viaB, viaC] = extra

    // C is already waiting when B sends: it hears of the sends through DynamoDB alone, not in-process
    const receiving = receiveUntil(viaC!, QueueUrl!, later, 5, 60_000)
    await sendAll(viaB!, QueueUrl!, later)
    const received = await receiving
    expect([...received].sort()).toEqual([...later].sort())
  }, 180_000)
})
