/**
 * Long polls across server processes on one DynamoDB: a send through one process wakes a poll waiting on another
 * (each process tails the messages table's stream), and past the cap on waiting polls a process answers
 * RequestThrottled, which SDKs retry with backoff.
 */
import { describe, expect, it } from 'vitest'
import { jsonClient, queryClient, uniqueQueueName } from '../support/clients.js'
import { startServerProcess, useServerProcesses } from '../support/server-process.js'

const clients = useServerProcesses(2)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!

describe('long polls across processes', () => {
  it('wake within a stream poll of a send through another process, not at a recheck', async () => {
    const [sender, waiter] = clients
    const { QueueUrl } = await sender!.createQueue({ QueueName: uniqueQueueName('wakeup') })
    const waits: number[] = []
    for (let round = 0; round < 15; round++) {
      const polling = waiter!.receiveMessage({ QueueUrl, WaitTimeSeconds: 10 })
      await sleep(300) // the poll has made its first try and waits
      const sentAt = performance.now()
      await sender!.sendMessage({ QueueUrl, MessageBody: `round ${round}` })
      const { Messages = [] } = await polling
      waits.push(performance.now() - sentAt)
      expect(Messages.map((m) => m.Body)).toEqual([`round ${round}`])
      await waiter!.deleteMessage({ QueueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle! })
    }
    const sorted = [...waits].sort((a, b) => a - b)
    console.info(`cross-process wake-up over 15 sends: p50 ${percentile(sorted, 0.5).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`)
    // the stream tail reads every 100 ms; a loaded machine stretches each round trip, so the bounds are loose, but
    // far below the 20 s recheck that would be the only wake-up without the tail
    expect(percentile(sorted, 0.5)).toBeLessThan(1_500)
    expect(sorted.at(-1)!).toBeLessThan(5_000)
  }, 120_000)

  it('answers RequestThrottled (403) past the cap on waiting polls, in both dialects, and serves polls again below it', async () => {
    const server = await startServerProcess({ DQS_MAX_WAITING_POLLS: '2' })
    try {
      const json = jsonClient({ endpoint: server.url })
      const query = queryClient({ endpoint: server.url })
      const { QueueUrl } = await json.createQueue({ QueueName: uniqueQueueName('capped') })
      const waiting = [json.receiveMessage({ QueueUrl, WaitTimeSeconds: 4 }), json.receiveMessage({ QueueUrl, WaitTimeSeconds: 4 })]
      await sleep(1_000)
      for (const client of [json, query]) {
        await expect(client.receiveMessage({ QueueUrl, WaitTimeSeconds: 4 })).rejects.toMatchObject({
          name: 'RequestThrottled', $metadata: { httpStatusCode: 403 },
        })
      }
      // a short poll does not wait, so the cap does not apply to it
      expect((await json.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
      expect((await Promise.all(waiting)).map((r) => r.Messages)).toEqual([undefined, undefined])
      await json.sendMessage({ QueueUrl, MessageBody: 'after' })
      expect((await json.receiveMessage({ QueueUrl, WaitTimeSeconds: 4 })).Messages?.[0]?.Body).toBe('after')
    } finally {
      await server.stop()
    }
  }, 120_000)
})
