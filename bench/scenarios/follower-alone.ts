/**
 * @module bench/scenarios/follower-alone — what the local counts follower costs per message, measured alone: a
 * server that serves nothing but follows the stream, while another (with no stream reader) sends, receives and
 * deletes messages; the follower's CPU from the first send until its counts show the end state, less its idle rate,
 * divided by the messages. (Follower on minus off under load, the other measure, moves by several tenths of a
 * millisecond between runs on a busy 2-core machine.)
 */
import { startDynamoLocal } from '@dqs/server'
import { makeBody } from '../support/bodies.js'
import { cpuSeconds } from '../support/cpu.js'
import { startServerProcess } from '../support/server-process.js'
import { sqsClient } from '../support/sqs-client.js'
import { sleep } from '../support/stats.js'

export interface FollowerAlone {
  tree: string
  /** messages sent (each also received and deleted, but for the ones left visible) */
  messages: number
  cpuMsPerMessage: number
  /** from the first send until the follower's counts showed the end state */
  seconds: number
}

/** Every stream reader off: a server that only writes. */
const writerOnly = { DQS_FOLLOW_STREAM: 'false', DQS_TAIL_STREAM: 'false', DQS_COUNTS_READ_STREAM: 'false', DQS_MOVE_TASKS: 'false' }
/** messages left visible, so that the counts the follower makes have something to arrive at */
const left = 1000

async function follow(tree: { name: string; root?: string }, messages: number): Promise<FollowerAlone> {
  const dynamo = await startDynamoLocal()
  const writer = await startServerProcess({ dynamoEndpoint: dynamo.endpoint, tablePrefix: 'follower', root: tree.root, env: writerOnly })
  const follower = await startServerProcess({
    dynamoEndpoint: dynamo.endpoint, tablePrefix: 'follower', root: tree.root, env: { ...writerOnly, DQS_FOLLOW_STREAM: 'true' },
  })
  try {
    const sqs = sqsClient(writer.url)
    const { QueueUrl } = await sqs.createQueue({ QueueName: 'followed' })
    const idleFrom = cpuSeconds(follower.pid)
    await sleep(3000)
    const idlePerSecond = (cpuSeconds(follower.pid) - idleFrom) / 3
    const before = cpuSeconds(follower.pid)
    const started = performance.now()
    let sent = 0
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (sent < messages) {
        const first = sent
        sent += 10
        const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: makeBody('incompressible', String(first + i)) }))
        await sqs.sendMessageBatch({ QueueUrl, Entries })
      }
    }))
    let deleted = 0
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (deleted < sent - left) {
        const { Messages = [] } = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 })
        if (Messages.length === 0) continue
        deleted += Messages.length
        await sqs.deleteMessageBatch({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) })
      }
    }))
    // done when the counts say what is left, read through the writer: it reads only the counts item the follower
    // writes (no stream), and serving these reads, 5 a second, is no part of following (about 0.01 ms per message)
    for (;;) {
      const { Attributes = {} } = await sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] })
      if (Number(Attributes.ApproximateNumberOfMessages) === sent - deleted && Number(Attributes.ApproximateNumberOfMessagesNotVisible) === 0) break
      if (performance.now() - started > 600_000) throw new Error('the follower did not catch up within 10 minutes')
      await sleep(200)
    }
    const seconds = (performance.now() - started) / 1000
    const busy = cpuSeconds(follower.pid) - before - idlePerSecond * seconds
    sqs.destroy()
    return { tree: tree.name, messages: sent, cpuMsPerMessage: (busy * 1000) / sent, seconds }
  } finally {
    await follower.stop()
    await writer.stop()
    await dynamo.stop()
  }
}

/** `runs` measures per tree, alternating trees, each on a DynamoDB Local of its own. */
export async function measureFollowerAlone(trees: Array<{ name: string; root?: string }>, messages: number, runs: number) {
  const results: FollowerAlone[] = []
  for (let run = 0; run < runs; run++) for (const tree of trees) results.push(await follow(tree, messages))
  return results
}
