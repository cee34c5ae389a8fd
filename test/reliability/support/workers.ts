/** @module test/reliability/support/workers — producer and consumer loops that record everything in a Ledger, as an application would run them. */
import type { SQS } from '@aws-sdk/client-sqs'
import { sleep } from '../../../bench/support/stats.js'
import { bodyFor, type Ledger } from './ledger.js'

export interface Loop {
  client: SQS
  queueUrl: string
  ledger: Ledger
  traffic: Traffic
}

/** SQS requests made, how many needed an SDK retry (a crash or fault was felt), and how many failed after retries. */
export interface Traffic {
  requests: number
  retried: number
  failed: number
}

export const newTraffic = (): Traffic => ({ requests: 0, retried: 0, failed: 0 })

/** Counts one SDK call: `$metadata.attempts` says how many tries it took, on success and on failure alike. */
async function counted<T extends { $metadata?: { attempts?: number } }>(traffic: Traffic, call: Promise<T>): Promise<T> {
  traffic.requests++
  try {
    const output = await call
    if ((output.$metadata?.attempts ?? 1) > 1) traffic.retried++
    return output
  } catch (error) {
    traffic.failed++
    if (((error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) > 1) traffic.retried++
    throw error
  }
}

/** Standard queue: batches of 10 until `stop` aborts; an entry is acknowledged only when it is in Successful. */
export async function produceStandard({ client, queueUrl, ledger, traffic }: Loop, prefix: string, stop: AbortSignal) {
  for (let n = 0; !stop.aborted; n++) {
    const keys = Array.from({ length: 10 }, (_, i) => `${prefix}-${n}-${i}`)
    try {
      const { Successful = [], Failed = [] } = await counted(traffic, client.sendMessageBatch({
        QueueUrl: queueUrl, Entries: keys.map((key, i) => ({ Id: String(i), MessageBody: bodyFor(key) })),
      }))
      for (const s of Successful) ledger.sent(keys[Number(s.Id)]!, true)
      for (const f of Failed) ledger.sent(keys[Number(f.Id)]!, false)
    } catch {
      for (const key of keys) ledger.sent(key, false)
      await sleep(100)
    }
  }
}

/**
 * FIFO: one group, one message at a time in order (`<group>:<index>`); a failed send is retried with the same
 * deduplication id until it is acknowledged, so the group's order is the send order.
 */
export async function produceFifoGroup({ client, queueUrl, ledger, traffic }: Loop, group: string, stop: AbortSignal) {
  for (let n = 0; !stop.aborted; n++) {
    const key = `${group}:${n}`
    for (;;) {
      try {
        await counted(traffic, client.sendMessage({ QueueUrl: queueUrl, MessageBody: bodyFor(key), MessageGroupId: group, MessageDeduplicationId: key }))
        ledger.sent(key, true)
        break
      } catch {
        ledger.sent(key, false)
        if (stop.aborted) return
        await sleep(100)
      }
    }
  }
}

/** Receive up to 10 (long poll) and delete them in one batch, until `done()`; errors are retried after a pause. */
export async function consume({ client, queueUrl, ledger, traffic }: Loop, done: () => boolean, waitSeconds = 1) {
  while (!done()) {
    const requestedAt = performance.now()
    try {
      const { Messages = [] } = await counted(traffic, client.receiveMessage({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }))
        .catch((error) => {
          ledger.receiveFailed()
          throw error
        })
      ledger.received(Messages, requestedAt, performance.now())
      if (Messages.length === 0) continue
      const { Successful = [] } = await counted(traffic, client.deleteMessageBatch({
        QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }))
      ledger.deleted(Successful.map((s) => Messages[Number(s.Id)]!.Body!))
    } catch {
      await sleep(100)
    }
  }
}
