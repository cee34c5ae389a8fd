/** Hostile requests over raw HTTP: they are refused with SQS's errors, fast, in bounded memory, without holding the server. */
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { XMLValidator } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clients, endpoint, jsonClient, uniqueQueueName } from '../support/clients.js'
import { jsonRequest, parseXml, queryRequest, type RawResponse } from '../support/raw.js'
import { startServerProcess, type ServerProcess } from '../support/server-process.js'

const mb = 1024 * 1024
const client = jsonClient()
/** Characters XML 1.0 forbids, even as character references. */
const notXml = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

const queryErrorOf = (response: RawResponse) => parseXml(response.text).ErrorResponse.Error as { Code: string; Message: string }

const timed = async <T>(work: Promise<T>) => {
  const started = performance.now()
  const result = await work
  return { result, ms: performance.now() - started }
}

/** A form body: the given fields, then `count` more made by `field` (each may be several `&`-joined fields). */
function manyFields(head: Record<string, string>, count: number, field: (i: number) => string) {
  const parts = [new URLSearchParams(head).toString()]
  for (let i = 1; i <= count; i++) parts.push(field(i))
  return parts.join('&')
}

const postForm = (form: string) => fetch(`${endpoint}/`, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form,
}).then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() }))

describe('Query requests with more parameters than any SQS request', () => {
  it('refuses 150,000 parameters at once with InvalidQueryParameter, while other requests are served', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('params') })
    const form = manyFields({ Action: 'GetQueueAttributes', QueueUrl: QueueUrl! }, 150_000, (i) => `AttributeName.${i}=All`)
    expect(form.length).toBeLessThan(4 * mb) // under the body limit: only the parameter count can refuse it
    const [hostile, other] = await Promise.all([
      timed(postForm(form)),
      timed(queryRequest({ Action: 'ListQueues', QueueNamePrefix: uniqueQueueName('none') })),
    ])
    expect(hostile.result.status).toBe(400)
    expect(queryErrorOf(hostile.result)).toMatchObject({ Code: 'InvalidQueryParameter', Message: expect.stringContaining('150002 parameters') })
    expect(hostile.ms).toBeLessThan(2000)
    expect(other.result.status).toBe(200)
    expect(other.ms).toBeLessThan(2000)
  })

  it('refuses 30,000 message attributes the same way', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('params') })
    const form = manyFields({ Action: 'SendMessage', QueueUrl: QueueUrl!, MessageBody: 'x' }, 30_000,
      (i) => `MessageAttribute.${i}.Name=a${i}&MessageAttribute.${i}.Value.DataType=String&MessageAttribute.${i}.Value.StringValue=v`)
    const { result, ms } = await timed(postForm(form))
    expect(result.status).toBe(400)
    expect(queryErrorOf(result).Code).toBe('InvalidQueryParameter')
    expect(ms).toBeLessThan(2000)
  })

  it('still serves the largest batch SQS allows: 10 entries with 10 message attributes and a trace header each', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('params') })
    const fields: Record<string, string> = { Action: 'SendMessageBatch', Version: '2012-11-05', QueueUrl: QueueUrl! }
    for (let e = 1; e <= 10; e++) {
      const entry = `SendMessageBatchRequestEntry.${e}`
      Object.assign(fields, { [`${entry}.Id`]: `e${e}`, [`${entry}.MessageBody`]: `body ${e}`, [`${entry}.DelaySeconds`]: '0', [`${entry}.MessageGroupId`]: 'g' })
      for (let a = 1; a <= 10; a++) {
        Object.assign(fields, {
          [`${entry}.MessageAttribute.${a}.Name`]: `attr${a}`,
          [`${entry}.MessageAttribute.${a}.Value.DataType`]: 'String',
          [`${entry}.MessageAttribute.${a}.Value.StringValue`]: `value ${a}`,
        })
      }
      Object.assign(fields, {
        [`${entry}.MessageSystemAttribute.1.Name`]: 'AWSTraceHeader',
        [`${entry}.MessageSystemAttribute.1.Value.DataType`]: 'String',
        [`${entry}.MessageSystemAttribute.1.Value.StringValue`]: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
      })
    }
    expect(Object.keys(fields).length).toBeGreaterThan(370)
    const response = await queryRequest(fields)
    expect(response.status, response.text).toBe(200)
    expect([parseXml(response.text).SendMessageBatchResponse.SendMessageBatchResult.SendMessageBatchResultEntry].flat()).toHaveLength(10)
    const { Messages } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 1, MessageAttributeNames: ['All'] })
    expect(Object.keys(Messages![0]!.MessageAttributes!)).toHaveLength(10)
  })
})

describe('JSON nested or spread without bound', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

  it('answers a body nested 10,000 deep with a 400, not a 500', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('deep') })
    for (const body of [`{"QueueUrl":${JSON.stringify(QueueUrl)},"Attributes":${nested(10_000)}}`, `{"Attributes":${nested(100_000)}}`]) {
      const response = await jsonRequest('SetQueueAttributes', body)
      expect(response.status, response.text).toBe(400)
      expect(JSON.parse(response.text)).toMatchObject({ __type: 'com.amazon.coral.service#SerializationException' })
      expect(response.headers.get('x-amzn-query-error')).toBe('MalformedInput;Sender')
    }
  })

  it('refuses a body with more values than any SQS request, fast, while other requests are served', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('wide') })
    const AttributeNames = Array.from({ length: 500_000 }, (_, i) => i % 10)
    const [wide, other] = await Promise.all([
      timed(jsonRequest('GetQueueAttributes', { QueueUrl, AttributeNames })),
      timed(jsonRequest('ListQueues', { QueueNamePrefix: uniqueQueueName('none') })),
    ])
    expect(wide.result.status).toBe(400)
    expect(JSON.parse(wide.result.text)).toMatchObject({ __type: 'com.amazon.coral.service#SerializationException', message: expect.stringContaining('values') })
    expect(wide.ms).toBeLessThan(2000)
    expect(other.result.status).toBe(200)
    expect(other.ms).toBeLessThan(2000)
  })

  it('quotes a little of a rejected value, however deep or wide it is', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('deep') })
    for (const Attributes of [Array.from({ length: 1500 }, (_, i) => i), JSON.parse(nested(30))]) {
      const response = await jsonRequest('SetQueueAttributes', { QueueUrl, Attributes })
      expect(response.status, response.text.slice(0, 300)).toBe(400)
      const { __type, message } = JSON.parse(response.text) as { __type: string; message: string }
      expect(__type).toBe('com.amazon.coral.service#InvalidParameterValueException')
      expect(message).toMatch(/^Value \[.* for parameter Attributes is invalid\. Reason: /)
      expect(message.length).toBeLessThan(2000)
    }
  })
})

describe.each(clients)('tags with characters XML cannot carry, over $name', ({ client: sqs, dialect }) => {
  const invalidParameter = { name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } }
  // a lone surrogate cannot even be percent-encoded (encodeURIComponent throws), so only JSON can send one
  const hostile = ['a\u0001b\uFFFE', 'nul\u0000', 'esc\u001b', ...(dialect === 'json' ? ['lone\uD800'] : [])]

  it('rejects them in TagQueue and CreateQueue, keys and values alike', async () => {
    const { QueueUrl } = await sqs.createQueue({ QueueName: uniqueQueueName('tags') })
    for (const text of hostile) {
      await expect(sqs.tagQueue({ QueueUrl, Tags: { k: text } })).rejects.toMatchObject(invalidParameter)
      await expect(sqs.tagQueue({ QueueUrl, Tags: { [text]: 'v' } })).rejects.toMatchObject(invalidParameter)
      await expect(sqs.createQueue({ QueueName: uniqueQueueName('tags'), tags: { k: text } })).rejects.toMatchObject(invalidParameter)
    }
    expect((await sqs.listQueueTags({ QueueUrl })).Tags).toBeUndefined()
  })

  it('keeps ListQueueTags well-formed XML, with every character XML allows round-tripping', async () => {
    const { QueueUrl } = await sqs.createQueue({ QueueName: uniqueQueueName('tags') })
    await sqs.tagQueue({ QueueUrl, Tags: { k: hostile[0]! } }).catch(() => {})
    const allowed = { tab: 'a\tb', lines: 'a\r\nb', markup: '<&>"\'', astral: '😀 \uFFFD \uE000 \uD7FF' }
    await sqs.tagQueue({ QueueUrl, Tags: allowed })
    const response = await queryRequest({ Action: 'ListQueueTags', QueueUrl: QueueUrl! })
    expect(response.status).toBe(200)
    expect(response.text).not.toMatch(notXml)
    expect(XMLValidator.validate(response.text)).toBe(true)
    expect((await sqs.listQueueTags({ QueueUrl })).Tags).toEqual(allowed)
  })
})

/** VmRSS of a process, in bytes (Linux). */
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024

interface Streamed { status: number; headers: Record<string, unknown>; text: string }

/**
 * POSTs `total` bytes of `fill` in 64 KiB chunks with no Content-Length (chunked), at the pace the socket takes
 * them, and stops sending once the answer arrives or the server closes the connection. Over a keep-alive
 * connection, as SDKs send: a client that asks for `Connection: close` has the server close the socket as soon as it
 * answers, and its unsent body then resets the connection, which can discard the answer before it is read.
 */
function streamBody(url: string, headers: Record<string, string>, total: number, fill: Buffer): Promise<Streamed> {
  // one connection per request: the server closes this one once it has answered
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  return new Promise<Streamed>((resolve, reject) => {
    let answered = false
    const req = request(new URL('/', url), { method: 'POST', headers, agent }, (res) => {
      answered = true
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString() }))
      res.on('error', reject)
    })
    req.on('error', (error) => answered || reject(error))
    const chunk = Buffer.alloc(64 * 1024, fill)
    let sent = 0
    const pump = () => {
      while (!answered && !req.destroyed && sent < total) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!answered && !req.destroyed) req.end()
    }
    pump()
  }).finally(() => agent.destroy())
}

describe('server processes under slow, oversized and numerous requests', () => {
  /** one with a short request timeout; another with few connections, which no other test's sockets count against */
  let server: ServerProcess
  let capped: ServerProcess
  const requestTimeoutS = 2
  const maxConnections = 6
  /** what the server wrote to stderr: a request it fails to handle is logged there as an internal error */
  let logged = ''
  beforeAll(async () => {
    [server, capped] = await Promise.all([
      startServerProcess({ DQS_REQUEST_TIMEOUT: String(requestTimeoutS) }),
      startServerProcess({ DQS_MAX_CONNECTIONS: String(maxConnections) }),
    ])
    server.child.stderr!.on('data', (chunk) => (logged += chunk))
  }, 60_000)
  afterAll(() => Promise.all([server?.stop(), capped?.stop()]))

  it('refuses a chunked body far over the limit with SQS’s error, its memory staying flat', async () => {
    const json = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' }
    const query = { 'content-type': 'application/x-www-form-urlencoded' }
    // warm up: the first requests load code and grow the heap whatever the body
    for (let i = 0; i < 3; i++) await streamBody(server.url, json, 8 * mb, Buffer.from('x'))
    const before = rssOf(server.child.pid!)
    let peak = before
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.child.pid!))), 20)
    try {
      const answer = await streamBody(server.url, json, 60 * mb, Buffer.from('x'))
      expect(answer.status).toBe(400)
      expect(answer.headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender')
      expect(JSON.parse(answer.text)).toEqual({
        __type: 'com.amazon.coral.service#InvalidParameterValueException', message: 'Request body must be at most 4194304 bytes.',
      })
      const form = await streamBody(server.url, query, 60 * mb, Buffer.from('a'))
      expect(form.status).toBe(400)
      expect(parseXml(form.text).ErrorResponse.Error).toMatchObject({ Code: 'InvalidParameterValue', Message: 'Request body must be at most 4194304 bytes.' })
    } finally {
      clearInterval(sampler)
    }
    peak = Math.max(peak, rssOf(server.child.pid!))
    // 60 MB each, under the 64 MB the server reads of a refused body. Read whole, one would hold 120 MB (its chunks
    // and their concatenation); dropped as they arrive, the chunks are garbage whose native memory V8 takes back
    // once it has grown by 64 MB since the last collection, so the peak stays under that and the heap's noise
    expect((peak - before) / mb).toBeLessThan(96)
  })

  it('cuts off a client that sends its body too slowly, one that never finishes its headers, and one that sends nothing', async () => {
    const cutOff = (first: string) => new Promise<{ ms: number; answer: string }>((resolve, reject) => {
      const { port } = new URL(server.url)
      const socket = connect(Number(port), '127.0.0.1')
      const started = performance.now()
      let answer = ''
      socket.on('connect', () => first && socket.write(first))
      socket.on('data', (c) => (answer += c))
      socket.on('error', () => {})
      socket.on('close', () => resolve({ ms: performance.now() - started, answer }))
      setTimeout(() => reject(new Error('not cut off in 10 s')), 10_000).unref()
    })
    const [slowBody, slowHeaders, silent] = await Promise.all([
      cutOff('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.ListQueues\r\nContent-Length: 100\r\n\r\n{"Queue'),
      cutOff('POST / HTTP/1.1\r\nHost: x\r\nContent-Ty'),
      cutOff(''),
    ])
    for (const { ms } of [slowBody, slowHeaders, silent]) {
      expect(ms).toBeGreaterThanOrEqual(requestTimeoutS * 1000 - 100)
      expect(ms).toBeLessThan(requestTimeoutS * 1000 + 2500)
    }
    expect(slowBody.answer).toMatch(/^HTTP\/1\.1 408 /)
    await new Promise((r) => setTimeout(r, 200))
    expect(logged).not.toMatch(/internal error/i)
  })

  it('leaves long polls alone, even as the first request of a connection: only the arrival of a request is timed', async () => {
    const creator = jsonClient({ endpoint: server.url })
    const { QueueUrl } = await creator.createQueue({ QueueName: uniqueQueueName('slow') })
    creator.destroy()
    const sqs = jsonClient({ endpoint: server.url })
    const { result, ms } = await timed(sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: requestTimeoutS + 1 }))
    expect(result.Messages).toBeUndefined()
    expect(ms).toBeGreaterThanOrEqual((requestTimeoutS + 1) * 1000 - 100)
    sqs.destroy()
  })

  it('closes connections past its cap as they arrive, and takes new ones once others leave', async () => {
    const { port } = new URL(capped.url)
    const open = () => new Promise<Socket>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => resolve(socket))
      socket.on('error', reject)
    })
    const closedWithin = (socket: Socket, ms: number) => new Promise<boolean>((resolve) => {
      if (socket.closed) return resolve(true)
      socket.once('close', () => resolve(true))
      setTimeout(() => resolve(false), ms).unref()
    })
    const held = await Promise.all(Array.from({ length: maxConnections }, open))
    const extra = await open()
    expect(await closedWithin(extra, 500)).toBe(true)
    expect(held.some((s) => s.closed)).toBe(false)
    for (const socket of held) socket.destroy()
    await new Promise((r) => setTimeout(r, 100))
    const sqs = jsonClient({ endpoint: capped.url })
    expect((await sqs.listQueues({ QueueNamePrefix: uniqueQueueName('none') })).$metadata.httpStatusCode).toBe(200)
    sqs.destroy()
  })
})
