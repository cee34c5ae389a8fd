/**
 * Standard queues served by three DQS processes on one DynamoDB, as three function instances would be: many
 * consumers must see every message, none twice while its visibility timeout holds, each deleted once; and under
 * redrive contention every message must end up in exactly one place.
 */
import type { SQS } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { accountId, uniqueQueueName } from '../support/clients.js'
import { useServerProcesses } from '../support/server-process.js'

const clients = useServerProcesses(3)

const consumers = 20
const producers = 6
const clientOf = (i: number) => clients[i % clients.length]!

/** Sends `count` messages with bodies `0…count-1` in batches of 10, spread over producers and servers. */
async function produce(QueueUrl: string, count: number) {
  await Promise.all(Array.from({ length: producers }, async (_, producer) => {
    for (let start = producer * 10; start < count; start += producers * 10) {
      const Entries = Array.from({ length: Math.min(10, count - start) }, (_, i) => ({ Id: `m${i}`, MessageBody: String(start + i) }))
      const { Failed = [] } = await clientOf(producer).sendMessageBatch({ QueueUrl, Entries })
      expect(Failed).toEqual([])
    }
  }))
}

/** Everything a queue still holds, each received once with a long visibility timeout. */
async function drain(client: SQS, QueueUrl: string) {
  const bodies: string[] = []
  for (;;) {
    const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 })
    if (!Messages.length) return bodies
    bodies.push(...Messages.map((m) => m.Body!))
  }
}

describe('standard queues across three server processes', () => {
  it(`${consumers} consumers, 5,000 messages: nothing lost, nothing delivered twice within its visibility, each deleted once`, async () => {
    const total = 5000
    const { QueueUrl } = await clients[0]!.createQueue({ QueueName: uniqueQueueName('cmulti'), Attributes: { VisibilityTimeout: '600' } })
    const deliveries = new Map<string, number>()
    const deletes = new Map<string, number>()
    // one to two minutes on a 2-core machine (every send, claim and delete also keeps the ready index, which
    // DynamoDB Local maintains on the same cores); the slack is for a machine busy with other test files
    const deadline = Date.now() + 220_000
    const started = Date.now()

    const consume = async (consumer: number) => {
      const client = clientOf(consumer)
      while (deletes.size < total && Date.now() < deadline) {
        const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 })
        for (const m of Messages) deliveries.set(m.Body!, (deliveries.get(m.Body!) ?? 0) + 1)
        if (!Messages.length) continue
        const { Successful = [], Failed = [] } = await client.deleteMessageBatch({
          QueueUrl, Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
        })
        expect(Failed).toEqual([])
        for (const { Id } of Successful) {
          const body = Messages[Number(Id!.slice(1))]!.Body!
          deletes.set(body, (deletes.get(body) ?? 0) + 1)
        }
      }
    }

    await Promise.all([produce(QueueUrl!, total), ...Array.from({ length: consumers }, (_, c) => consume(c))])
    const seconds = (Date.now() - started) / 1000
    console.info(`standard, 3 processes, ${consumers} consumers: ${total} messages sent, received and deleted in ${seconds.toFixed(1)} s = ${Math.round(total / seconds)} messages/s`)

    const expected = Array.from({ length: total }, (_, i) => String(i))
    expect([...deliveries.keys()].sort()).toEqual(expected.sort())
    expect([...deliveries].filter(([, n]) => n > 1)).toEqual([])
    expect([...deletes].filter(([, n]) => n !== 1)).toEqual([])
    expect(deletes.size).toBe(total)
    expect(await drain(clients[1]!, QueueUrl!)).toEqual([])
  }, 260_000)

  it.each([1, 2])('redrive under contention, maxReceiveCount %i: every message ends in exactly one place', async (maxReceiveCount) => {
    const total = 600
    /** Every third message is never deleted: it must end up in the dead-letter queue. */
    const poison = (body: string) => Number(body) % 3 === 0
    const dlqName = uniqueQueueName('cdlq')
    const { QueueUrl: dlq } = await clients[0]!.createQueue({ QueueName: dlqName })
    const { QueueUrl: source } = await clients[0]!.createQueue({
      QueueName: uniqueQueueName('csrc'),
      Attributes: {
        VisibilityTimeout: '2',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${accountId}:${dlqName}`, maxReceiveCount }),
      },
    })
    const deleted = new Set<string>()
    const poisonSeen = new Map<string, number>()
    const deadline = Date.now() + 50_000
    const started = Date.now()
    let idleRounds = 0

    const consume = async (consumer: number) => {
      const client = clientOf(consumer)
      // done when every good message is deleted and the source has stayed empty for a while (poison all moved)
      while (Date.now() < deadline && !(deleted.size === total - total / 3 && idleRounds > consumers * 3)) {
        const { Messages = [] } = await client.receiveMessage({ QueueUrl: source, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 })
        idleRounds = Messages.length ? 0 : idleRounds + 1
        const good = Messages.filter((m) => !poison(m.Body!))
        for (const m of Messages) if (poison(m.Body!)) poisonSeen.set(m.Body!, (poisonSeen.get(m.Body!) ?? 0) + 1)
        if (!good.length) continue
        await client.deleteMessageBatch({ QueueUrl: source, Entries: good.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) })
        for (const m of good) deleted.add(m.Body!)
      }
    }

    await Promise.all([produce(source!, total), ...Array.from({ length: consumers }, (_, c) => consume(c))])
    console.info(`redrive, maxReceiveCount ${maxReceiveCount}: ${total} messages settled in ${((Date.now() - started) / 1000).toFixed(1)} s`)

    // a poison message received by the last polls is hidden for its 2 s: once visible, the source's drain moves it
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    const inSource = await drain(clients[1]!, source!)
    const inDlq = await drain(clients[2]!, dlq!)
    // a poison message is received at most maxReceiveCount times before it moves
    expect([...poisonSeen].filter(([, n]) => n > maxReceiveCount)).toEqual([])
    expect(inSource).toEqual([])
    expect(new Set(inDlq).size).toBe(inDlq.length)
    expect(inDlq.filter((body) => poison(body)).sort()).toEqual(Array.from({ length: total / 3 }, (_, i) => String(i * 3)).sort())
    // a good message whose 2 s visibility lapsed before its delete may have moved too; then it was not also deleted
    for (const body of inDlq.filter((b) => !poison(b))) expect(deleted.has(body) && !inDlq.includes(body)).toBe(false)
    expect(inDlq.filter((b) => !poison(b)).length + deleted.size).toBeGreaterThanOrEqual(total - total / 3)
  }, 120_000)
})
