/** @module bench/scenarios/sqs-load — producers and consumers through @aws-sdk/client-sqs against one DQS instance: standard, or FIFO over N groups. */
import type { SQS } from '@aws-sdk/client-sqs'
import { randomBytes } from 'node:crypto'
import { makeBody } from '../support/bodies.js'
import { runLoad, type LoadOptions, type LoadResult } from '../support/load-loop.js'
import { sqsClient } from '../support/sqs-client.js'

export interface SqsLoadOptions extends LoadOptions {
  endpoint: string
  /** a FIFO queue with this many message groups; a standard queue when absent */
  fifoGroups?: number
}

/** Producers send batches of 10 × 1 KiB; consumers receive up to 10 (1 s long poll) and delete them in one batch. */
export async function runSqsLoad(options: SqsLoadOptions): Promise<LoadResult> {
  const admin = sqsClient(options.endpoint)
  const fifo = options.fifoGroups !== undefined
  const { QueueUrl } = await admin.createQueue({
    QueueName: `bench-${randomBytes(4).toString('hex')}${fifo ? '.fifo' : ''}`,
    Attributes: fifo ? { FifoQueue: 'true' } : {},
  })
  const clients: SQS[] = Array.from({ length: Math.max(options.producers, options.consumers) }, () => sqsClient(options.endpoint))
  let sequence = 0
  try {
    return await runLoad({
      async produce(worker) {
        const Entries = Array.from({ length: 10 }, (_, i) => {
          const key = `m${sequence++}`
          return {
            Id: String(i), MessageBody: makeBody('incompressible', key),
            ...(fifo ? { MessageGroupId: `g${sequence % options.fifoGroups!}`, MessageDeduplicationId: key } : {}),
          }
        })
        const { Successful = [], Failed = [] } = await clients[worker]!.sendMessageBatch({ QueueUrl, Entries })
        if (Failed.length) throw new Error(`SendMessageBatch: ${Failed.length} failed (${Failed[0]!.Code}: ${Failed[0]!.Message})`)
        return Successful.length
      },
      async consume(worker) {
        const client = clients[worker]!
        const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 })
        if (Messages.length === 0) return 0
        const { Successful = [] } = await client.deleteMessageBatch({
          QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        })
        return Successful.length
      },
    }, options)
  } finally {
    await admin.deleteQueue({ QueueUrl }).catch(() => undefined)
    for (const client of [admin, ...clients]) client.destroy()
  }
}
