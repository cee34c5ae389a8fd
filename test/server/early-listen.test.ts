/**
 * The server listens before its storage is ready (local/server.ts): a request made while DynamoDB Local boots waits
 * and is answered once the tables are there; when the start fails instead, it gets a 503 rather than a hang.
 */
import { SQS } from '@aws-sdk/client-sqs'
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { loadConfig } from '@dqs/core'
import { freePort, startLocalServer, type DynamoLocal } from '@dqs/server'
import { describe, expect, inject, it } from 'vitest'

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' }

/** A DynamoDB Local whose start ends when the test says: the run's own, or a failure. */
function heldDynamo() {
  let settle!: (outcome: DynamoLocal | Error) => void
  const dynamo = new Promise<DynamoLocal>((resolve, reject) => {
    settle = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome))
  })
  dynamo.catch(() => undefined) // the start's to report
  return {
    dynamo,
    serve: () => settle({ endpoint: inject('dynamoEndpoint'), pid: process.pid, stop: async () => undefined }),
    fail: () => settle(new Error('DynamoDB Local exited (1)')),
  }
}

function configOn(port: number) {
  return loadConfig({
    DQS_PORT: String(port),
    DQS_TABLE_PREFIX: `dqs-early-${randomBytes(4).toString('hex')}`,
    DQS_FOLLOW_STREAM: 'false',
    DQS_TAIL_STREAM: 'false',
    DQS_MOVE_TASKS: 'false',
  })
}

/** Resolves once the port takes connections. */
async function accepting(port: number) {
  for (let tries = 0; tries < 500; tries++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`nothing listens on ${port}`)
}

/** Whether `promise` is still pending after `ms`. */
async function pendingAfter(promise: Promise<unknown>, ms: number) {
  let settled = false
  promise.then(() => (settled = true), () => (settled = true))
  await new Promise((resolve) => setTimeout(resolve, ms))
  return !settled
}

describe('a server still starting', { timeout: 60_000 }, () => {
  it('takes connections at once, and answers what they sent once its storage is ready', async () => {
    const port = await freePort()
    const held = heldDynamo()
    const starting = startLocalServer(configOn(port), { dynamo: held.dynamo })
    await accepting(port)
    const sqs = new SQS({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials, maxAttempts: 1 })
    try {
      const created = sqs.createQueue({ QueueName: 'early' })
      expect(await pendingAfter(created, 500)).toBe(true)
      held.serve()
      const server = await starting
      try {
        expect((await created).QueueUrl).toBe(`${server.url}/000000000000/early`)
        expect((await sqs.listQueues({})).QueueUrls).toEqual([`${server.url}/000000000000/early`])
      } finally {
        await server.close()
      }
    } finally {
      sqs.destroy()
    }
  })

  it('answers 503 to what waited when the start fails, and stops listening', async () => {
    const port = await freePort()
    const held = heldDynamo()
    const starting = startLocalServer(configOn(port), { dynamo: held.dynamo })
    starting.catch(() => undefined)
    await accepting(port)
    const answer = fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
    })
    expect(await pendingAfter(answer, 300)).toBe(true)
    held.fail()
    await expect(starting).rejects.toThrow('DynamoDB Local exited (1)')
    expect((await answer).status).toBe(503)
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow()
  })
})
