/** @module bench/scenarios/latency — send → receive time with the consumer already long-polling, on one instance or across two. */
import type { SQS } from '@aws-sdk/client-sqs'
import { randomBytes } from 'node:crypto'
import { sqsClient } from '../support/sqs-client.js'
import { between, percentile, sleep } from '../support/stats.js'

export interface LatencyOptions {
  sendEndpoint: string
  receiveEndpoint: string
  /** independent queue + consumer + producer triples, run side by side to gather samples faster */
  pairs: number
  rounds: number
  /** pause before each send, so the consumer is back in its long poll and waiting (across instances: on the stream) */
  gapMs: [number, number]
}

export interface LatencyResult {
  samples: number
  p50: number
  p99: number
  max: number
}

/** One queue: a consumer long-polls (20 s, one message) while a producer sends `rounds` timestamped messages. */
async function pair(sender: SQS, receiver: SQS, options: LatencyOptions, samples: number[]) {
  const { QueueUrl } = await sender.createQueue({ QueueName: `latency-${randomBytes(4).toString('hex')}` })
  const stop = new AbortController()
  let received = 0
  const consumer = (async () => {
    while (!stop.signal.aborted) {
      const { Messages = [] } = await receiver.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 }, { abortSignal: stop.signal }).catch(() => ({ Messages: [] }))
      for (const message of Messages) {
        samples.push(performance.now() - Number(message.Body))
        received++
        await receiver.deleteMessage({ QueueUrl, ReceiptHandle: message.ReceiptHandle! })
      }
    }
  })()
  for (let round = 0; round < options.rounds; round++) {
    await sleep(between(...options.gapMs))
    await sender.sendMessage({ QueueUrl, MessageBody: String(performance.now()) })
  }
  for (const deadline = performance.now() + 5000; received < options.rounds && performance.now() < deadline; ) await sleep(20)
  stop.abort()
  await consumer
  await sender.deleteQueue({ QueueUrl })
}

export async function runLatency(options: LatencyOptions): Promise<LatencyResult> {
  const samples: number[] = []
  const sender = sqsClient(options.sendEndpoint)
  const receiver = sqsClient(options.receiveEndpoint)
  try {
    await Promise.all(Array.from({ length: options.pairs }, () => pair(sender, receiver, options, samples)))
  } finally {
    sender.destroy()
    receiver.destroy()
  }
  return { samples: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples) }
}
