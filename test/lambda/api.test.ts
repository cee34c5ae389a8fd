/** functions/api.ts driven by literal Lambda events built from real, signed SDK requests, in both dialects. */
import { Sha256 } from '@aws-crypto/sha256-js'
import { SQS } from '@aws-sdk/client-sqs'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { spawnSync } from 'node:child_process'
import { SQS as LegacySQS } from 'sqs-legacy'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeReceiptHandle } from '../../packages/core/src/model/receipt-handle.js'
import { uniqueQueueName } from '../support/clients.js'
import { queueDoesNotExist } from '../support/errors.js'
import { coldStartApi } from './linked.js'
import { functionUrlHost, httpApiHost, lambdaContext, lambdaTransport, toEvent, type Front, type LambdaHandler, type TransportOptions } from './transport.js'

const alice = { accessKeyId: 'AKIDALICE0000000001', secretAccessKey: 'alice/secret+key=1', accountId: '111111111111' }
const bob = { accessKeyId: 'AKIDBOB000000000002', secretAccessKey: 'bob-secret', accountId: '222222222222' }

let handler: LambdaHandler

/** Settings in the environment that a linked secret overrides: never used. */
const decoy = { accessKeyId: 'AKIDDECOY0000000003', secretAccessKey: 'decoy-secret', accountId: '333333333333' }
const receiptKey = 'lambda-test-receipt-key'

beforeAll(async () => {
  // what sst.config.ts gives the deployed function, the secrets linked (encrypted into the bundle)
  handler = await coldStartApi(
    { credentials: [alice, bob].map((c) => `${c.accessKeyId}:${c.secretAccessKey}:${c.accountId}`).join(','), receiptKey },
    { AWS_REGION: 'eu-west-1', DQS_CREDENTIALS: `${decoy.accessKeyId}:${decoy.secretAccessKey}:${decoy.accountId}`, DQS_RECEIPT_KEY: 'decoy-receipt-key' },
  )
})

type Dialect = 'json' | 'query'
interface ClientOptions {
  credentials?: { accessKeyId: string; secretAccessKey: string }
  /** the function's handler as the transport calls it (default: functions/api.ts's) */
  handler?: LambdaHandler
  front?: Front
  tamper?: TransportOptions['tamper']
  clockOffsetMs?: number
}

function sqs(dialect: Dialect, options: ClientOptions = {}): SQS {
  const Client = dialect === 'json' ? SQS : LegacySQS
  return new Client({
    endpoint: `https://${options.front === 'http-api' ? httpApiHost : functionUrlHost}`,
    region: 'eu-west-1',
    credentials: options.credentials ?? alice,
    maxAttempts: 1,
    systemClockOffset: options.clockOffsetMs,
    requestHandler: lambdaTransport(options.handler ?? handler, { front: options.front, tamper: options.tamper }),
  }) as unknown as SQS
}

const authError = (name: string) => ({ name, $metadata: { httpStatusCode: 403 } })

describe('the Lambda handler\'s secrets', () => {
  it('are the linked ones: keys and receipt key from the encrypted bundle, none from DQS_CREDENTIALS or DQS_RECEIPT_KEY', async () => {
    expect(Object.values(process.env).join('\n')).not.toContain(alice.secretAccessKey)
    await expect(sqs('json', { credentials: decoy }).listQueues({})).rejects.toMatchObject(authError('InvalidClientTokenId'))
    const client = sqs('json')
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('linked') })
    await client.sendMessage({ QueueUrl, MessageBody: 'signed with the linked key' })
    const { Messages } = await client.receiveMessage({ QueueUrl })
    const handle = Messages![0]!.ReceiptHandle!
    expect(() => decodeReceiptHandle(handle, receiptKey)).not.toThrow()
    expect(() => decodeReceiptHandle(handle, 'decoy-receipt-key')).toThrow()
  })

  it('must be linked: without them the function does not start, whatever DQS_CREDENTIALS holds', () => {
    // a fresh process: SST's runtime keeps what it loaded on globalThis
    const env = { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', DQS_REQUIRE_AUTH: 'true', DQS_CREDENTIALS: process.env.DQS_CREDENTIALS, DQS_RECEIPT_KEY: 'decoy-receipt-key' }
    const coldStart = (more: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', "await import('./functions/api.ts')"], { env: { ...env, ...more }, encoding: 'utf8' })
    expect(coldStart({}).stderr).toContain('It does not look like SST links are active')
    // linked to something else (the tables, say), but not to the secrets
    expect(coldStart({ SST_RESOURCE_App: JSON.stringify({ name: 'dqs', stage: 'test' }), SST_RESOURCE_Queues: JSON.stringify({ name: 'q' }) }).stderr)
      .toContain('"DqsCredentials" is not linked')
  })
})

describe.each(['json', 'query'] as const)('the Lambda handler over %s', (dialect) => {
  it('serves create, send, receive and delete, with queue URLs on the function URL host', async () => {
    const client = sqs(dialect)
    const name = uniqueQueueName('lambda')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    expect(QueueUrl).toBe(`https://${functionUrlHost}/${alice.accountId}/${name}`)
    const { Attributes } = await client.getQueueAttributes({ QueueUrl, AttributeNames: ['QueueArn'] })
    expect(Attributes?.QueueArn).toBe(`arn:aws:sqs:eu-west-1:${alice.accountId}:${name}`)
    await client.sendMessage({ QueueUrl, MessageBody: 'hello from a function URL', MessageAttributes: { Foo: { DataType: 'String', StringValue: 'Bar' } } })
    const { Messages } = await client.receiveMessage({ QueueUrl, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 })
    expect(Messages?.map((m) => [m.Body, m.MessageAttributes?.Foo?.StringValue])).toEqual([['hello from a function URL', 'Bar']])
    await client.deleteMessage({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle! })
    expect((await client.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
    await client.deleteQueue({ QueueUrl })
  })

  it('answers a receive of messages near 1 MiB within Lambda\'s 6 MB, giving back at once what does not fit', async () => {
    const sizes: number[] = []
    const measured: LambdaHandler = async (event, context) => {
      const result = await handler(event, context)
      sizes.push(Buffer.byteLength(result.body ?? ''))
      return result
    }
    const client = sqs(dialect, { handler: measured })
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('big'), Attributes: { VisibilityTimeout: '600' } })
    // '<' and '&' take 4–5 bytes in XML; the answer's size is bounded for whichever dialect writes it
    const body = (n: number) => `${n}:${'<&x'.repeat(340_000)}`
    for (let n = 0; n < 7; n++) await client.sendMessage({ QueueUrl, MessageBody: body(n) })
    const first = (await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })).Messages ?? []
    expect(first.length).toBeGreaterThan(0)
    expect(first.length).toBeLessThan(7)
    expect(sizes.at(-1)!).toBeLessThan(6_291_456)
    // the rest were given back, not hidden for the queue's 600 s
    const seen = new Set(first.map((m) => m.Body!.split(':')[0]))
    for (let tries = 0; seen.size < 7 && tries < 10; tries++) {
      for (const m of (await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })).Messages ?? []) seen.add(m.Body!.split(':')[0])
    }
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6'])
    expect(Math.max(...sizes)).toBeLessThan(6_291_456)
  }, 180_000)

  it('serves an API Gateway HTTP API event, queue URLs on the API host', async () => {
    const client = sqs(dialect, { front: 'http-api' })
    const name = uniqueQueueName('httpapi')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    expect(QueueUrl).toBe(`https://${httpApiHost}/${alice.accountId}/${name}`)
    await client.sendMessage({ QueueUrl, MessageBody: 'via HTTP API' })
    expect((await client.receiveMessage({ QueueUrl })).Messages?.[0]?.Body).toBe('via HTTP API')
  })

  it('answers MissingAuthenticationToken (403) to an unsigned request', async () => {
    const client = sqs(dialect, { tamper: (request) => void delete request.headers.authorization })
    await expect(client.listQueues({})).rejects.toMatchObject(authError('MissingAuthenticationToken'))
  })

  it('answers InvalidClientTokenId (403) to an unknown access key', async () => {
    const client = sqs(dialect, { credentials: { accessKeyId: 'AKIDNOBODY000000000', secretAccessKey: alice.secretAccessKey } })
    await expect(client.listQueues({})).rejects.toMatchObject(authError('InvalidClientTokenId'))
  })

  it('answers SignatureDoesNotMatch (403) to a wrong secret', async () => {
    const client = sqs(dialect, { credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: 'not-the-secret' } })
    await expect(client.listQueues({})).rejects.toMatchObject(authError('SignatureDoesNotMatch'))
  })

  it('answers SignatureDoesNotMatch (403) when the body changed after signing', async () => {
    const client = sqs(dialect, { tamper: (_request, body) => Buffer.from(body.toString('utf8').replace('alpha', 'omega')) })
    await expect(client.listQueues({ QueueNamePrefix: 'alpha' })).rejects.toMatchObject(authError('SignatureDoesNotMatch'))
  })

  it('answers SignatureDoesNotMatch (403) when the request went to another host than the one signed', async () => {
    const client = sqs(dialect, { tamper: (request) => void (request.headers.host = httpApiHost) })
    await expect(client.listQueues({})).rejects.toMatchObject(authError('SignatureDoesNotMatch'))
  })

  it.each([['20 minutes ago', -20], ['20 minutes ahead', 20]])('answers RequestExpired (403) to a request signed %s', async (_, minutes) => {
    const client = sqs(dialect, { clockOffsetMs: minutes * 60_000 })
    await expect(client.listQueues({})).rejects.toMatchObject(authError('RequestExpired'))
  })

  it('accepts a request signed 10 minutes off (within AWS\'s 15)', async () => {
    await expect(sqs(dialect, { clockOffsetMs: -10 * 60_000 }).listQueues({})).resolves.toBeDefined()
  })

  it("keeps each account to its own queues: another account's queue does not exist", async () => {
    const name = uniqueQueueName('mine')
    const { QueueUrl } = await sqs(dialect).createQueue({ QueueName: name })
    const other = sqs(dialect, { credentials: bob })
    await expect(other.sendMessage({ QueueUrl, MessageBody: 'intruder' })).rejects.toMatchObject(queueDoesNotExist(dialect))
    await expect(other.getQueueAttributes({ QueueUrl, AttributeNames: ['All'] })).rejects.toMatchObject(queueDoesNotExist(dialect))
    await expect(other.purgeQueue({ QueueUrl })).rejects.toMatchObject(queueDoesNotExist(dialect, { modelledInQuery: true }))
    expect((await other.listQueues({ QueueNamePrefix: name })).QueueUrls).toBeUndefined()
    const { QueueUrl: own } = await other.createQueue({ QueueName: name })
    expect(own).toBe(`https://${functionUrlHost}/${bob.accountId}/${name}`)
    expect((await sqs(dialect).receiveMessage({ QueueUrl })).Messages).toBeUndefined()
  })
})

describe('auth errors on the wire', () => {
  const unsigned = (headers: Record<string, string>, body: string) =>
    toEvent(new HttpRequest({ method: 'POST', hostname: functionUrlHost, path: '/', headers: { host: functionUrlHost, ...headers }, body }), 'function-url', Buffer.from(body))

  it('names the error in JSON the way AWS does: coral __type, query code in x-amzn-query-error', async () => {
    const result = await handler(unsigned({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' }, '{}'), lambdaContext)
    expect(result.statusCode).toBe(403)
    expect(result.headers?.['x-amzn-query-error']).toBe('MissingAuthenticationToken;Sender')
    expect(JSON.parse(result.body!)).toEqual({ __type: 'com.amazon.coral.service#MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' })
  })

  it('names the error in Query XML by its code', async () => {
    const result = await handler(unsigned({ 'content-type': 'application/x-www-form-urlencoded' }, 'Action=ListQueues&Version=2012-11-05'), lambdaContext)
    expect(result.statusCode).toBe(403)
    expect(result.body).toContain('<Code>MissingAuthenticationToken</Code>')
  })

  it('refuses a body over the request limit before anything else, with or without a declared length', async () => {
    const body = `{"QueueUrl":"q","MessageBody":"${'x'.repeat(4 * 1024 * 1024)}"}` // just over the limit
    const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' }
    for (const declared of [true, false]) {
      const result = await handler(unsigned(declared ? { ...headers, 'content-length': String(body.length) } : headers, body), lambdaContext)
      expect(result.statusCode).toBe(400)
      expect(JSON.parse(result.body!)).toEqual({
        __type: 'com.amazon.coral.service#InvalidParameterValueException', message: 'Request body must be at most 4194304 bytes.',
      })
    }
  })
})

describe('presigned Query URLs', () => {
  async function presigned(query: Record<string, string>, options: { expiresIn?: number; signedAt?: Date } = {}) {
    const signer = new SignatureV4({ service: 'sqs', region: 'eu-west-1', sha256: Sha256, credentials: alice })
    const request = new HttpRequest({ method: 'GET', protocol: 'https:', hostname: functionUrlHost, path: '/', query, headers: { host: functionUrlHost } })
    return signer.presign(request, { expiresIn: options.expiresIn ?? 300, signingDate: options.signedAt }) as Promise<HttpRequest>
  }

  it('accepts a GET signed in its query string', async () => {
    const name = uniqueQueueName('presigned')
    await sqs('json').createQueue({ QueueName: name })
    const request = await presigned({ Action: 'ListQueues', Version: '2012-11-05', QueueNamePrefix: name })
    const result = await handler(toEvent(request, 'function-url'), lambdaContext)
    expect(result.statusCode).toBe(200)
    expect(result.body).toContain(`<QueueUrl>https://${functionUrlHost}/${alice.accountId}/${name}</QueueUrl>`)
  })

  it('answers RequestExpired past X-Amz-Expires, SignatureDoesNotMatch when a parameter was changed', async () => {
    const stale = await presigned({ Action: 'ListQueues', Version: '2012-11-05' }, { expiresIn: 60, signedAt: new Date(Date.now() - 120_000) })
    expect((await handler(toEvent(stale, 'function-url'), lambdaContext)).body).toContain('<Code>RequestExpired</Code>')
    const changed = await presigned({ Action: 'ListQueues', Version: '2012-11-05', QueueNamePrefix: 'a' })
    changed.query.QueueNamePrefix = 'b'
    const result = await handler(toEvent(changed, 'function-url'), lambdaContext)
    expect([result.statusCode, result.body]).toEqual([403, expect.stringContaining('<Code>SignatureDoesNotMatch</Code>')])
  })
})
