/**
 * FIFO queues served by three DQS processes on one DynamoDB, as three function instances would be: many consumers,
 * some letting visibility expire, must still see every group in order, one consumer per group at a time, nothing
 * lost; and the same dedup id sent through all of them at once must store one message.
 */
import { describe, expect, it } from 'vitest'
import { uniqueQueueName } from '../support/clients.js'
import { useServerProcesses } from '../support/server-process.js'

const clients = useServerProcesses(3)

const groups = 100
const perGroup = 50
const consumers = 20
/** Consumers 0–3 let every other batch expire (received with a 2 s visibility, never deleted). */
const careless = new Set([0, 1, 2, 3])
const carelessVisibility = 2

interface Hold { consumer: number; from: number; to: number }

describe('FIFO across three server processes', () => {
  it(`${consumers} consumers, ${groups} groups × ${perGroup} messages: in order, one holder per group, nothing lost`, async () => {
    const { QueueUrl } = await clients[0]!.createQueue({ QueueName: uniqueQueueName('fmulti', true), Attributes: { FifoQueue: 'true', VisibilityTimeout: '30' } })
    const processed = new Map<string, number[]>()
    const holds = new Map<string, Hold[]>()
    const deliveries = new Map<string, Array<{ abandoned: boolean }>>()
    const violations: string[] = []
    const errors: unknown[] = []
    let done = 0
    const deadline = Date.now() + 300_000

    const produce = async (producer: number) => {
      const client = clients[producer % clients.length]!
      for (let round = 0; round < perGroup / 10; round++) {
        for (let g = producer; g < groups; g += 5) {
          const Entries = Array.from({ length: 10 }, (_, i) => {
            const index = round * 10 + i
            return { Id: `m${index}`, MessageBody: `g${g}:${index}`, MessageGroupId: `g${g}`, MessageDeduplicationId: `g${g}:${index}` }
          })
          const { Failed = [] } = await client.sendMessageBatch({ QueueUrl, Entries })
          if (Failed.length) errors.push(Failed)
        }
      }
    }

    const consume = async (consumer: number) => {
      const client = clients[consumer % clients.length]!
      let batches = 0
      while (done < groups * perGroup && Date.now() < deadline) {
        const abandon = careless.has(consumer) && batches++ % 2 === 0
        const t0 = Date.now()
        const { Messages = [] } = await client.receiveMessage({
          QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: abandon ? carelessVisibility : 30,
        })
        const t1 = Date.now()
        if (!Messages.length) continue
        const group = Messages[0]!.Body!.split(':')[0]!
        if (Messages.some((m) => m.Body!.split(':')[0] !== group)) {
          // several groups in one receive: only when the first ones ran out; check each separately below
        }
        const byGroup = new Map<string, typeof Messages>()
        for (const m of Messages) byGroup.set(m.Body!.split(':')[0]!, [...(byGroup.get(m.Body!.split(':')[0]!) ?? []), m])
        for (const [g, list] of byGroup) {
          for (const m of list) {
            const history = deliveries.get(m.Body!) ?? []
            // delivered again although the last delivery was processed (deleted): a double delivery
            if (history.some((d) => !d.abandoned)) violations.push(`${m.Body} delivered again after it was processed`)
            history.push({ abandoned: abandon })
            deliveries.set(m.Body!, history)
          }
          // the server locked the group at some moment in [t0, t1]; it surely held it from t1 on
          const mine: Hold = { consumer, from: t1, to: abandon ? t0 + carelessVisibility * 1000 : Number.POSITIVE_INFINITY }
          for (const other of holds.get(g) ?? []) {
            // another receive of the group whose whole round trip fell inside a surely-held interval
            if (other.from < t0 && t1 < other.to) violations.push(`${g} received by ${consumer} while held by ${other.consumer}`)
          }
          holds.set(g, [...(holds.get(g) ?? []), mine])
          if (abandon) continue
          processed.set(g, [...(processed.get(g) ?? []), ...list.map((m) => Number(m.Body!.split(':')[1]))])
          mine.to = Date.now() // processing ends as the delete is sent
          const { Failed = [] } = await client.deleteMessageBatch({ QueueUrl, Entries: list.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) })
          if (Failed.length) errors.push(Failed)
          done += list.length
        }
      }
    }

    const started = Date.now()
    await Promise.all([
      ...Array.from({ length: 5 }, (_, p) => produce(p).catch((e) => errors.push(e))),
      ...Array.from({ length: consumers }, (_, c) => consume(c).catch((e) => errors.push(e))),
    ])
    const seconds = (Date.now() - started) / 1000
    console.log(`FIFO multi-instance: ${groups * perGroup} messages in ${seconds.toFixed(1)} s (${(groups * perGroup / seconds).toFixed(0)} msg/s end to end)`)

    expect(errors).toEqual([])
    expect(violations).toEqual([])
    expect(done).toBe(groups * perGroup)
    const expected = Array.from({ length: perGroup }, (_, i) => i)
    for (let g = 0; g < groups; g++) expect(processed.get(`g${g}`), `group g${g}`).toEqual(expected)
    const redelivered = [...deliveries.values()].filter((d) => d.length > 1).length
    expect(redelivered).toBeGreaterThan(0) // the careless consumers' batches did come back
  }, 330_000)

  it('the same MessageDeduplicationId sent at once through every process stores one message', async () => {
    const { QueueUrl } = await clients[0]!.createQueue({ QueueName: uniqueQueueName('frace', true), Attributes: { FifoQueue: 'true' } })
    for (const spread of ['one group', 'many groups']) {
      const sends = Array.from({ length: 30 }, (_, i) => clients[i % clients.length]!.sendMessage({
        QueueUrl, MessageBody: `copy ${i}`, MessageGroupId: spread === 'one group' ? 'g' : `g${i}`, MessageDeduplicationId: `same-${spread.replace(' ', '-')}`,
      }))
      const answers = await Promise.all(sends)
      expect(new Set(answers.map((a) => a.MessageId)).size, spread).toBe(1)
      expect(new Set(answers.map((a) => a.SequenceNumber)).size, spread).toBe(1)
    }
    const received = []
    for (let i = 0; i < 5; i++) {
      const { Messages = [] } = await clients[i % clients.length]!.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })
      received.push(...Messages)
    }
    expect(received).toHaveLength(2)
  }, 60_000)
})
