/**
 * functions/api.ts as deployed: bundled the way SST bundles it (scripts/lambda-bundle.ts: ESM, minified, every
 * package inlined), cold-started with the linked secrets, and driven with real signed requests as Lambda events.
 * What only the bundle can get wrong — a module left for a `require` at run time, a package's file the bundler
 * resolved differently — shows here and not in the tests that import the source.
 */
import { SQS } from '@aws-sdk/client-sqs'
import { HttpRequest } from '@smithy/protocol-http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleForLambda } from '../../scripts/lambda-bundle.js'
import { uniqueQueueName } from '../support/clients.js'
import { deployedApiEnv } from './linked.js'
import { functionUrlHost, lambdaContext, lambdaTransport, toEvent, type LambdaHandler } from './transport.js'

const alice = { accessKeyId: 'AKIDBUNDLE000000001', secretAccessKey: 'bundle/secret', accountId: '444444444444' }
const dir = mkdtempSync(join(tmpdir(), 'dqs-lambda-bundle-'))
let handler: LambdaHandler
let bundledFiles: string[]
afterAll(() => rmSync(dir, { recursive: true, force: true }))

beforeAll(async () => {
  const outfile = join(dir, 'api.mjs')
  const metafile = await bundleForLambda('functions/api.ts', outfile)
  bundledFiles = Object.keys(Object.values(metafile.outputs)[0]!.inputs)
  Object.assign(process.env, deployedApiEnv({ credentials: `${alice.accessKeyId}:${alice.secretAccessKey}:${alice.accountId}`, receiptKey: 'bundle-receipt-key' }))
  handler = (await import(/* @vite-ignore */ pathToFileURL(outfile).href) as { handler: LambdaHandler }).handler
}, 120_000)

describe('the Lambda bundle', () => {
  it('serves a queue\'s whole round trip, counting it in its metrics', async () => {
    const client = new SQS({
      endpoint: `https://${functionUrlHost}`, region: 'us-east-1', credentials: alice, maxAttempts: 1,
      requestHandler: lambdaTransport(handler),
    })
    const name = uniqueQueueName('bundle')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    await client.sendMessageBatch({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'one' }, { Id: 'b', MessageBody: 'two' }] })
    const received = new Map<string, string>()
    for (let tries = 0; received.size < 2 && tries < 10; tries++) {
      for (const m of (await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 })).Messages ?? []) received.set(m.Body!, m.ReceiptHandle!)
    }
    expect([...received.keys()].sort()).toEqual(['one', 'two'])
    const { Successful = [] } = await client.deleteMessageBatch({ QueueUrl, Entries: [...received.values()].map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle })) })
    expect(Successful).toHaveLength(2)

    const scrape = new HttpRequest({
      method: 'GET', protocol: 'https:', hostname: functionUrlHost, path: '/metrics', query: { prefix: name },
      headers: { host: functionUrlHost, authorization: `Bearer ${alice.accessKeyId}:${alice.secretAccessKey}` },
    })
    const metrics = await handler(toEvent(scrape, 'function-url'), lambdaContext)
    expect(metrics.statusCode).toBe(200)
    expect(metrics.body).toContain(`dqs_queue_messages_sent_total{queue="${name}"} 2`)
    expect(metrics.body).toContain(`dqs_queue_messages_deleted_total{queue="${name}"} 2`)
    expect(metrics.body).toMatch(/^dqs_requests_total\{action="SendMessageBatch",outcome="success",code=""\} [1-9]/m)
    expect(metrics.body).toMatch(/^dqs_request_duration_seconds_bucket\{le="\+Inf",action="ReceiveMessage"\} [1-9]/m)
    await client.deleteQueue({ QueueUrl })
    client.destroy()
  }, 60_000)

  it('carries none of prom-client\'s modules that DQS never calls', () => {
    const promClient = bundledFiles.filter((path) => path.includes('node_modules/prom-client/'))
    expect(promClient.some((path) => path.endsWith('lib/counter.js'))).toBe(true)
    for (const unused of ['defaultMetrics', 'pushgateway', 'cluster', 'summary']) {
      expect(promClient.filter((path) => path.includes(`lib/${unused}`))).toEqual([])
    }
    expect(bundledFiles.filter((path) => path.includes('@opentelemetry/'))).toEqual([])
  })
})
