/**
 * A long poll whose client goes away gives back what was claimed for it: aborted at the moment a send arrives,
 * round after round, each message is either in the aborted poll's answer (it got there first) or receivable again
 * at once — never hidden for the queue's 5-minute visibility timeout, never lost. Standard and FIFO.
 *
 * The server process reaches DynamoDB through a proxy that adds 30–40 ms to every call, so that the claim the send
 * sets off (two or three calls) is still under way when the abort arrives, however loaded this machine is: an
 * abort that came after the answer was written would be the client dropping a delivered message, which no server
 * can tell from a delivery.
 */
import type { SQS } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest'
import { startFaultProxy, type FaultProxy } from '../reliability/support/fault-proxy.js'
import { jsonClient, uniqueQueueName } from '../support/clients.js'
import { startServerProcess, type ServerProcess } from '../support/server-process.js'

let proxy: FaultProxy
let server: ServerProcess
let client: SQS
beforeAll(async () => {
  proxy = await startFaultProxy(inject('dynamoEndpoint'))
  proxy.setPlan({ rate: 1, faults: ['latency'], latencyMs: [30, 40] })
  server = await startServerProcess({ DQS_DYNAMODB_ENDPOINT: proxy.url })
  client = jsonClient({ endpoint: server.url })
}, 120_000)
afterAll(async () => {
  await server?.stop()
  await proxy?.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const rounds = 25

describe.each([false, true])('a receive aborted as a message arrives (FIFO: %s)', (fifo) => {
  it('never keeps the message hidden', async () => {
    const QueueUrl = (await client.createQueue({
      QueueName: uniqueQueueName('aborted', fifo), Attributes: { VisibilityTimeout: '300', ...(fifo ? { FifoQueue: 'true' } : {}) },
    })).QueueUrl!
    let answered = 0
    let givenBack = 0
    let released = 0
    for (let round = 0; round < rounds; round++) {
      const abort = new AbortController()
      const polling = client.receiveMessage({ QueueUrl, WaitTimeSeconds: 10 }, { abortSignal: abort.signal })
        .then((output) => output.Messages ?? [], () => null)
      await sleep(200) // the poll is waiting
      const body = `round ${round}`
      const sending = client.sendMessage({ QueueUrl, MessageBody: body, ...(fifo ? { MessageGroupId: 'g', MessageDeduplicationId: `d${round}` } : {}) })
      // the send wakes the poll, which claims the message and answers: the abort goes out as the send's answer
      // comes in, so it reaches the server while the claim is under way
      await sending
      abort.abort()
      const inAnswer = await polling
      if (inAnswer?.length) {
        answered++
        expect(inAnswer.map((m) => m.Body)).toEqual([body])
        await client.deleteMessage({ QueueUrl, ReceiptHandle: inAnswer[0]!.ReceiptHandle! })
        continue
      }
      givenBack++
      // given back at once: a generous bound, far below the 300 s it would stay hidden otherwise
      const { Messages = [] } = await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] })
      expect(Messages.map((m) => m.Body)).toEqual([body])
      // a second receive: the aborted poll had claimed it, and gave it back
      if (Messages[0]!.Attributes?.ApproximateReceiveCount === '2') released++
      await client.deleteMessage({ QueueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle! })
    }
    console.info(`aborted receives (FIFO: ${fifo}): ${answered} answered before the abort, ${givenBack} given back, ${released} of them claimed first`)
    expect(answered + givenBack).toBe(rounds)
  }, 180_000)
})
