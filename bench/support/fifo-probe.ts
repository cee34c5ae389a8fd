/** @module bench/support/fifo-probe — does this DQS deliver FIFO queues in order yet? Benchmarks and suites skip FIFO parts until it does. */
import type { SQS } from '@aws-sdk/client-sqs'
import { randomBytes } from 'node:crypto'

export type FifoSupport = { ok: true } | { ok: false; reason: string }

/**
 * Sends three messages to one group and checks what only a FIFO engine does: a SequenceNumber on send, the
 * first message first, and the group held while it is in flight.
 */
export async function probeFifo(client: SQS): Promise<FifoSupport> {
  try {
    const { QueueUrl } = await client.createQueue({ QueueName: `probe-${randomBytes(4).toString('hex')}.fifo`, Attributes: { FifoQueue: 'true' } })
    try {
      for (const body of ['1', '2', '3']) {
        const sent = await client.sendMessage({ QueueUrl, MessageBody: body, MessageGroupId: 'g', MessageDeduplicationId: body })
        if (!sent.SequenceNumber) return { ok: false, reason: 'SendMessage on a FIFO queue returned no SequenceNumber' }
      }
      const first = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 1 })
      if (first.Messages?.[0]?.Body !== '1') return { ok: false, reason: `first receive returned ${JSON.stringify(first.Messages?.map((m) => m.Body) ?? [])}, expected ["1"]` }
      const held = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })
      if (held.Messages?.length) return { ok: false, reason: 'a second receive got messages of a group that had one in flight' }
      return { ok: true }
    } finally {
      await client.deleteQueue({ QueueUrl }).catch(() => undefined)
    }
  } catch (error) {
    return { ok: false, reason: `${(error as Error).name}: ${(error as Error).message}` }
  }
}
