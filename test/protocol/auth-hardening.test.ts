/** On a server that requires SigV4: receipt handles reach only their own queue's messages, and signatures cover the action and their scope. */
import { Sha256 } from '@aws-crypto/sha256-js'
import { SQS } from '@aws-sdk/client-sqs'
import { loadConfig } from '@dqs/core'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { SQS as LegacySQS } from 'sqs-legacy'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeReceiptHandle, encodeReceiptHandle, type ReceiptFields } from '../../packages/core/src/model/receipt-handle.js'
import { maxChunkItems } from '../../packages/core/src/storage/message-item.js'
import { sqsError, uniqueQueueName, type Dialect } from '../support/clients.js'
import { parseXml } from '../support/raw.js'
import { startServerProcess, type ServerProcess } from '../support/server-process.js'

// the server's real key: a forged handle below passes the MAC, so only the checks of what it names can stop it
const receiptKey = 'auth-hardening-receipt-key'
const region = 'eu-west-1'
const forger = { accessKeyId: 'AKIDHARDENFORGER001', secretAccessKey: 'forger-secret', accountId: '111111111111' }
const victim = { accessKeyId: 'AKIDHARDENVICTIM002', secretAccessKey: 'victim-secret', accountId: '222222222222' }
const credentials = [forger, victim].map((c) => `${c.accessKeyId}:${c.secretAccessKey}:${c.accountId}`).join(',')

let server: ServerProcess

beforeAll(async () => {
  server = await startServerProcess({ DQS_CREDENTIALS: credentials, DQS_RECEIPT_KEY: receiptKey, DQS_REGION: region })
})

afterAll(async () => {
  // a server stuck in a synchronous loop never runs its SIGTERM handler
  const stopped = server?.stop()
  const timer = setTimeout(() => server?.child.kill('SIGKILL'), 5_000)
  await stopped
  clearTimeout(timer)
})

function sqs(dialect: Dialect, account = forger): SQS {
  const Client = dialect === 'json' ? SQS : LegacySQS
  return new Client({ endpoint: server.url, region, credentials: account, maxAttempts: 1 }) as unknown as SQS
}

const fieldsOf = (handle: string) => decodeReceiptHandle(handle, receiptKey)

/** Fails when the answer takes longer than `ms`: a forged number must not make the server work. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms) })
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

const invalidHandle = (dialect: Dialect, handle: string) => sqsError(dialect, {
  name: 'ReceiptHandleIsInvalid', status: 404, message: `The input receipt handle "${handle}" is not a valid receipt handle.`,
})

/** A queue of `owner`'s with one message received for 30 s: its URL, its handle, and a check that it is still there. */
async function inFlight(client: SQS, prefix: string, fifo: boolean) {
  const { QueueUrl } = await client.createQueue({
    QueueName: uniqueQueueName(prefix, fifo), Attributes: fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {},
  })
  const body = `${prefix} message`
  await client.sendMessage({ QueueUrl, MessageBody: body, ...(fifo ? { MessageGroupId: 'g' } : {}) })
  const { Messages } = await client.receiveMessage({ QueueUrl, VisibilityTimeout: 30 })
  const handle = Messages![0]!.ReceiptHandle!
  return {
    url: QueueUrl!,
    handle,
    /** Makes the message visible with its real handle and receives it again. */
    async survives() {
      await client.changeMessageVisibility({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 })
      expect((await client.receiveMessage({ QueueUrl, VisibilityTimeout: 0 })).Messages?.map((m) => m.Body)).toEqual([body])
    },
  }
}

describe.each(['json', 'query'] as const)('a receipt handle forged with the real key, over %s', (dialect) => {
  /** The victim's message key under the forger's own queue id. */
  async function scene(fifo: boolean) {
    const own = await inFlight(sqs(dialect, forger), 'forger', fifo)
    const theirs = await inFlight(sqs(dialect, victim), 'victim', fifo)
    const forged = encodeReceiptHandle({ ...fieldsOf(theirs.handle), q: fieldsOf(own.handle).q }, receiptKey)
    return { client: sqs(dialect, forger), QueueUrl: own.url, forged, theirs }
  }

  describe.each([['standard', false], ['FIFO', true]] as const)('naming another account\'s message in a %s queue', (_, fifo) => {
    it('is refused by DeleteMessage, and the message survives', async () => {
      const { client, QueueUrl, forged, theirs } = await scene(fifo)
      await expect(client.deleteMessage({ QueueUrl, ReceiptHandle: forged })).rejects.toMatchObject(invalidHandle(dialect, forged))
      await theirs.survives()
    })

    it('fails its entry of DeleteMessageBatch, and the message survives', async () => {
      const { client, QueueUrl, forged, theirs } = await scene(fifo)
      const result = await client.deleteMessageBatch({ QueueUrl, Entries: [{ Id: 'forged', ReceiptHandle: forged }] })
      expect(result.Successful ?? []).toEqual([])
      expect(result.Failed).toMatchObject([{ Id: 'forged', SenderFault: true, Code: 'ReceiptHandleIsInvalid' }])
      await theirs.survives()
    })

    it('is refused by ChangeMessageVisibility', async () => {
      const { client, QueueUrl, forged, theirs } = await scene(fifo)
      await expect(client.changeMessageVisibility({ QueueUrl, ReceiptHandle: forged, VisibilityTimeout: 600 }))
        .rejects.toMatchObject(invalidHandle(dialect, forged))
      await theirs.survives()
    })

    it('fails its entry of ChangeMessageVisibilityBatch', async () => {
      const { client, QueueUrl, forged, theirs } = await scene(fifo)
      const result = await client.changeMessageVisibilityBatch({ QueueUrl, Entries: [{ Id: 'forged', ReceiptHandle: forged, VisibilityTimeout: 600 }] })
      expect(result.Successful ?? []).toEqual([])
      expect(result.Failed).toMatchObject([{ Id: 'forged', SenderFault: true, Code: 'ReceiptHandleIsInvalid' }])
      await theirs.survives()
    })
  })

  it('naming a message of another queue of the same account is refused by DeleteMessage', async () => {
    const client = sqs(dialect, forger)
    const own = await inFlight(client, 'forger', false)
    const sibling = await inFlight(client, 'sibling', false)
    const forged = encodeReceiptHandle({ ...fieldsOf(sibling.handle), q: fieldsOf(own.handle).q }, receiptKey)
    await expect(client.deleteMessage({ QueueUrl: own.url, ReceiptHandle: forged })).rejects.toMatchObject(invalidHandle(dialect, forged))
    await sibling.survives()
  })

  const outOfRange: Array<[string, (fields: ReceiptFields) => Partial<ReceiptFields>]> = [
    ['more chunk items than a 1 MiB message needs', () => ({ c: maxChunkItems + 1 })],
    ['a chunk count of 2^53 − 1', () => ({ c: 2 ** 53 - 1 })],
    ['a chunk count of 2^32 − 2', () => ({ c: 2 ** 32 - 2 })],
    ['a visibility that ends before the receive', ({ r }) => ({ v: r - 1 })],
    ['a visibility more than 12 h after the receive', ({ r }) => ({ v: r + 43_200_001 })],
    ['times beyond 13 digits of epoch ms', () => ({ v: 2 ** 53 - 1, r: 2 ** 53 - 1 })],
  ]

  it.each(outOfRange)('with %s answers ReceiptHandleIsInvalid at once, on its own message too', async (_, change) => {
    const client = sqs(dialect, forger)
    const own = await inFlight(client, 'numbers', false)
    const fields = fieldsOf(own.handle)
    const forged = encodeReceiptHandle({ ...fields, ...change(fields) }, receiptKey)
    await expect(within(5_000, client.deleteMessage({ QueueUrl: own.url, ReceiptHandle: forged }))).rejects.toMatchObject(invalidHandle(dialect, forged))
    await expect(within(5_000, client.changeMessageVisibility({ QueueUrl: own.url, ReceiptHandle: forged, VisibilityTimeout: 60 })))
      .rejects.toMatchObject(invalidHandle(dialect, forged))
    await own.survives()
  })
})

/** A JSON 1.0 or Query request to the server, signed as an SDK would sign it unless told otherwise. */
async function signedRequest(dialect: Dialect, action: string, input: Record<string, string>, options: {
  service?: string; region?: string; unsigned?: string[]
} = {}) {
  const url = new URL(server.url)
  const body = dialect === 'json'
    ? JSON.stringify(input)
    : new URLSearchParams({ Action: action, Version: '2012-11-05', ...input }).toString()
  const headers: Record<string, string> = dialect === 'json'
    ? { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` }
    : { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }
  const signer = new SignatureV4({ service: options.service ?? 'sqs', region: options.region ?? region, sha256: Sha256, credentials: forger })
  const request = new HttpRequest({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/', headers, body })
  return signer.sign(request, { unsignableHeaders: new Set(options.unsigned ?? []) }) as Promise<HttpRequest>
}

/** Sends a signed request, with `change` applied to its headers after signing (fetch sets `host` itself). */
async function send(request: HttpRequest, change: Record<string, string> = {}) {
  const { host: _host, ...headers } = { ...request.headers, ...change }
  const response = await fetch(`${server.url}/`, { method: 'POST', headers, body: request.body as string })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

/** SignatureDoesNotMatch (403) as each dialect writes it. */
function expectSignatureMismatch(dialect: Dialect, response: Awaited<ReturnType<typeof send>>, message: string) {
  expect(response.status).toBe(403)
  if (dialect === 'json') {
    expect(response.headers.get('x-amzn-query-error')).toBe('SignatureDoesNotMatch;Sender')
    expect(JSON.parse(response.text)).toEqual({ __type: 'com.amazon.coral.service#InvalidSignatureException', message })
  } else {
    expect(parseXml(response.text).ErrorResponse.Error).toMatchObject({ Type: 'Sender', Code: 'SignatureDoesNotMatch', Message: message })
  }
}

describe('a signature that leaves the action unsigned', () => {
  it('cannot be replayed with another X-Amz-Target: a captured GetQueueAttributes does not delete the queue', async () => {
    const QueueName = uniqueQueueName('replay')
    const { QueueUrl } = await sqs('json').createQueue({ QueueName })
    const captured = await signedRequest('json', 'GetQueueAttributes', { QueueUrl: QueueUrl! }, { unsigned: ['x-amz-target'] })
    const replayed = await send(captured, { 'x-amz-target': 'AmazonSQS.DeleteQueue' })
    expectSignatureMismatch('json', replayed, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.")
    expect((await sqs('json').getQueueUrl({ QueueName })).QueueUrl).toBe(QueueUrl)
    // signed as the SDKs sign, the same request is served
    expect((await send(await signedRequest('json', 'GetQueueAttributes', { QueueUrl: QueueUrl! }))).status).toBe(200)
  })

  it.each(['json', 'query'] as const)('is refused over %s when Content-Type is not signed', async (dialect) => {
    const response = await send(await signedRequest(dialect, 'ListQueues', {}, { unsigned: ['content-type'] }))
    expectSignatureMismatch(dialect, response, "'Content-Type' must be a 'SignedHeader' in the AWS Authorization.")
  })
})

describe.each(['json', 'query'] as const)('the credential scope over %s', (dialect) => {
  it.each([
    ['another service', { service: 's3' }, "Credential should be scoped to correct service: 'sqs'."],
    ['another region', { region: 'us-west-2' }, "Credential should be scoped to a valid region, not 'us-west-2'."],
    ['both', { service: 'sns', region: 'us-west-2' },
      "Credential should be scoped to a valid region, not 'us-west-2'. Credential should be scoped to correct service: 'sqs'."],
  ])('must not name %s', async (_, scope, message) => {
    expectSignatureMismatch(dialect, await send(await signedRequest(dialect, 'ListQueues', {}, scope)), message)
  })

  it('must be dated the day of X-Amz-Date', async () => {
    const request = await signedRequest(dialect, 'ListQueues', {})
    const amzDate = request.headers['x-amz-date']!
    const day = amzDate.slice(0, 8)
    // the signature covers the scope the server derives from X-Amz-Date; only the scope's own date is changed
    const authorization = request.headers.authorization!.replace(`/${day}/`, '/20200101/')
    expectSignatureMismatch(dialect, await send(request, { authorization }),
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20200101' != '${day}', from '${amzDate}'.`)
  })
})

describe('a server that requires signatures', () => {
  const reason = 'DQS_RECEIPT_KEY must be set to a long random string when requests must be signed (DQS_CREDENTIALS or DQS_REQUIRE_AUTH): '

  it('refuses to start without DQS_RECEIPT_KEY, saying why in one line', async () => {
    const outcome = await startServerProcess({ DQS_CREDENTIALS: credentials, DQS_RECEIPT_KEY: '' }).then(
      async (started) => {
        await started.stop()
        return 'started'
      },
      (error: Error) => error.message,
    )
    expect(outcome).toMatch(/^server exited \(1\): /)
    const lines = outcome.replace(/^server exited \(1\): /, '').split('\n').filter((l) => l.includes('DQS_RECEIPT_KEY'))
    expect(lines).toEqual([expect.stringMatching(/^DQS could not start: /)])
    expect(lines[0]).toContain(reason)
  })

  it('has no receipt key to fall back on, whether credentials or DQS_REQUIRE_AUTH ask for signatures', () => {
    for (const env of [{ DQS_CREDENTIALS: credentials }, { DQS_REQUIRE_AUTH: 'true' }, { DQS_REQUIRE_AUTH: 'true', DQS_RECEIPT_KEY: '' }]) {
      expect(() => loadConfig(env)).toThrow(reason)
    }
    expect(loadConfig({ DQS_CREDENTIALS: credentials, DQS_RECEIPT_KEY: 'own-key' }).receiptKey).toBe('own-key')
    // a server that trusts every caller keeps working without one
    expect(loadConfig({ DQS_REQUIRE_AUTH: 'false', DQS_CREDENTIALS: credentials }).receiptKey).toBeTruthy()
  })
})
