/** @module test/reliability/support/hostile-requests — whole hostile requests in both dialects: inputs per action, then encodings, sizes and framing. */
import fc from 'fast-check'
import {
  batchId, integerish, jsonValue, messageAttributes, mutated, queueAttributes, queueUrl, receiptHandle, sqsActions, text,
  type Fixtures,
} from './hostile-values.js'
import type { RawRequest } from './raw-http.js'

/** Inputs shaped like each action's (so validation is passed often enough to reach the engine), with random extras. */
function inputs(f: Fixtures): fc.Arbitrary<{ action: string; input: Record<string, unknown> }> {
  const read = queueUrl(f, 'read')
  const victim = queueUrl(f, 'victim')
  const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined })
  const body = fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: fc.integer({ min: 200_000, max: 1_100_000 }).map((n) => 'b'.repeat(n)) })
  const wait = fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: integerish(-1, 1) })
  const shaped = fc.oneof(
    fc.record({ QueueUrl: read, MessageBody: body, DelaySeconds: opt(integerish(0, 900)), MessageAttributes: opt(messageAttributes), MessageGroupId: opt(text), MessageDeduplicationId: opt(text) }).map((input) => ({ action: 'SendMessage', input })),
    fc.record({ QueueUrl: read, Entries: fc.array(fc.record({ Id: batchId, MessageBody: body, DelaySeconds: opt(integerish(0, 900)), MessageAttributes: opt(messageAttributes) }), { maxLength: 12 }) }).map((input) => ({ action: 'SendMessageBatch', input })),
    fc.record({ QueueUrl: read, MaxNumberOfMessages: opt(integerish(1, 10)), WaitTimeSeconds: wait, VisibilityTimeout: opt(integerish(0, 2)), AttributeNames: opt(fc.array(text, { maxLength: 4 })), MessageAttributeNames: opt(fc.array(text, { maxLength: 4 })) }).map((input) => ({ action: 'ReceiveMessage', input })),
    fc.record({ QueueUrl: read, ReceiptHandle: receiptHandle(f) }).map((input) => ({ action: 'DeleteMessage', input })),
    fc.record({ QueueUrl: read, ReceiptHandle: receiptHandle(f), VisibilityTimeout: integerish(0, 43_200) }).map((input) => ({ action: 'ChangeMessageVisibility', input })),
    fc.record({ QueueUrl: read, Entries: fc.array(fc.record({ Id: batchId, ReceiptHandle: receiptHandle(f), VisibilityTimeout: integerish(0, 10) }), { maxLength: 12 }) })
      .chain((input) => fc.constantFrom('DeleteMessageBatch', 'ChangeMessageVisibilityBatch').map((action) => ({ action, input }))),
    fc.record({ QueueName: fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^fz-[a-z0-9]{8}(\.fifo)?$/) }, { weight: 1, arbitrary: text }, { weight: 1, arbitrary: mutated(fc.constant('fuzz-queue.fifo')) }), Attributes: opt(queueAttributes), tags: opt(fc.dictionary(text, text, { maxKeys: 4 })) }).map((input) => ({ action: 'CreateQueue', input })),
    fc.record({ QueueUrl: victim, Attributes: queueAttributes }).map((input) => ({ action: 'SetQueueAttributes', input })),
    fc.record({ QueueUrl: read, AttributeNames: opt(fc.array(text, { maxLength: 5 })) }).map((input) => ({ action: 'GetQueueAttributes', input })),
    fc.record({ QueueNamePrefix: opt(text), MaxResults: opt(integerish(1, 1000)), NextToken: opt(text) }).map((input) => ({ action: 'ListQueues', input })),
    fc.record({ QueueUrl: victim, Tags: opt(fc.dictionary(text, text, { maxKeys: 4 })), TagKeys: opt(fc.array(text, { maxLength: 4 })), Label: opt(text), AWSAccountIds: opt(fc.array(text, { maxLength: 3 })), Actions: opt(fc.array(text, { maxLength: 3 })) })
      .chain((input) => fc.constantFrom('TagQueue', 'UntagQueue', 'ListQueueTags', 'AddPermission', 'RemovePermission', 'PurgeQueue', 'DeleteQueue', 'ListDeadLetterSourceQueues').map((action) => ({ action, input }))),
  )
  const anything = fc.record({ action: fc.oneof(fc.constantFrom(...sqsActions), mutated(fc.constantFrom(...sqsActions)), text), input: fc.dictionary(fc.string({ maxLength: 20 }), jsonValue, { maxKeys: 6 }) })
  return fc.oneof({ weight: 6, arbitrary: shaped }, { weight: 1, arbitrary: anything })
}

/** Bytes that break JSON or UTF-8 in the middle of a valid body. */
const corruptions = fc.constantFrom(Buffer.from([0xff]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0]), Buffer.from('\uFEFF'), Buffer.from('}{'), Buffer.from('"'))

/** A body: as encoded, truncated, corrupted at a random place, or replaced by something structurally hostile. */
function bodyVariants(encoded: string): fc.Arbitrary<Buffer> {
  const bytes = Buffer.from(encoded)
  return fc.oneof(
    { weight: 30, arbitrary: fc.constant(bytes) },
    { weight: 1, arbitrary: fc.nat().map((n) => bytes.subarray(0, n % (bytes.length + 1))) },
    { weight: 2, arbitrary: fc.tuple(fc.nat(), corruptions).map(([n, junk]) => { const i = n % (bytes.length + 1); return Buffer.concat([bytes.subarray(0, i), junk, bytes.subarray(i)]) }) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 200_000 }).chain((n) => fc.constantFrom('['.repeat(n) + ']'.repeat(n), '{"a":'.repeat(n) + '1' + '}'.repeat(n), 'a=%'.repeat(n))).map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)) },
  )
}

const headerText = fc.string({ unit: 'grapheme-ascii', maxLength: 40 })

/**
 * Header values travel as bytes: a non-ASCII action name goes as its UTF-8 bytes, control characters cannot go at
 * all, and Node's HTTP parser refuses headers over 16 KB (431) before DQS sees them, so they stay under 1 KB.
 */
const headerSafe = (value: string) => Buffer.from(value, 'utf8').toString('latin1').replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '').slice(0, 1024)

/** A JSON 1.0 request, with its target, content type and body each possibly wrong. */
const jsonRequest = (f: Fixtures) => inputs(f).chain(({ action, input }) => fc.record({
  target: fc.oneof({ weight: 20, arbitrary: fc.constant(headerSafe(`AmazonSQS.${action}`)) }, { weight: 1, arbitrary: headerText }, { weight: 1, arbitrary: fc.constant(undefined) }),
  contentType: fc.oneof({ weight: 20, arbitrary: fc.constant('application/x-amz-json-1.0') }, { weight: 1, arbitrary: fc.constantFrom('application/json', 'application/x-amz-json-1.1', 'APPLICATION/X-AMZ-JSON-1.0; charset=latin1', 'text/plain') }, { weight: 1, arbitrary: fc.constant(undefined) }),
  body: bodyVariants(JSON.stringify(input)),
}).map(({ target, contentType, body }): RawRequest => ({
  method: 'POST', path: '/',
  headers: { ...(target !== undefined ? { 'x-amz-target': target } : {}), ...(contentType !== undefined ? { 'content-type': contentType } : {}) },
  body,
})))

const singular: Record<string, string> = { AttributeNames: 'AttributeName', MessageAttributeNames: 'MessageAttributeName', TagKeys: 'TagKey', AWSAccountIds: 'AWSAccountId', Actions: 'ActionName' }

/** The Query form of a JSON-shaped input: `Attribute.N.Name/Value`, `Tag.N.Key/Value`, `<Action>RequestEntry.N.Field`, `AttributeName.N`. */
function flatten(action: string, input: Record<string, unknown>): Array<[string, string]> {
  const out: Array<[string, string]> = [['Action', action]]
  const put = (name: string, value: unknown) => out.push([name, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)])
  const map = (prefix: string, value: unknown, keyName: string) => Object.entries(value ?? {}).forEach(([k, v], i) => {
    put(`${prefix}.${i + 1}.${keyName}`, k)
    if (v && typeof v === 'object') Object.entries(v).forEach(([field, x]) => x !== undefined && put(`${prefix}.${i + 1}.Value.${field}`, x))
    else put(`${prefix}.${i + 1}.Value`, v)
  })
  const fields = (prefix: string, record: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(record)) {
      if (v === undefined) continue
      if (k === 'Attributes') map(`${prefix}Attribute`, v, 'Name')
      else if (k === 'MessageAttributes') map(`${prefix}MessageAttribute`, v, 'Name')
      else if (k === 'Tags' || k === 'tags') map(`${prefix}Tag`, v, 'Key')
      else if (k === 'Entries' && Array.isArray(v)) v.forEach((e, i) => fields(`${prefix}${action}RequestEntry.${i + 1}.`, e as Record<string, unknown>))
      else if (Array.isArray(v)) v.forEach((x, i) => put(`${prefix}${singular[k] ?? k}.${i + 1}`, x))
      else put(`${prefix}${k}`, v)
    }
  }
  fields('', input)
  return out
}

/** A Query request: form POST, GET, or POST to a queue URL; parameter indexes and percent-encoding possibly broken. */
const queryRequest = (f: Fixtures) => inputs(f).chain(({ action, input }) => {
  const pairs = flatten(action, input)
  return fc.record({
    pairs: fc.oneof({ weight: 6, arbitrary: fc.constant(pairs) }, { weight: 1, arbitrary: fc.constantFrom(pairs.slice(1), pairs.map(([k, v]): [string, string] => [k.replace(/\.1\b/, '.0'), v]), pairs.map(([k, v]): [string, string] => [k.replace(/\.1\b/, '.99999999999999999999'), v])) }),
    version: fc.constantFrom('2012-11-05', '', 'junk'),
    how: fc.constantFrom('form', 'form', 'form', 'get', 'queue-path'),
    contentType: fc.oneof({ weight: 6, arbitrary: fc.constant('application/x-www-form-urlencoded; charset=utf-8') }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'multipart/form-data', 'text/xml') }),
  }).chain(({ pairs: list, version, how, contentType }) => {
    const encoded = new URLSearchParams([...list, ...(version ? [['Version', version] as [string, string]] : [])]).toString()
    return bodyVariants(encoded).map((body): RawRequest => how === 'get'
      ? { method: 'GET', path: `/?${body.toString('latin1').slice(0, 6000).replace(/[^\x21-\x7e]/g, '%25')}`, headers: {}, body: Buffer.alloc(0) }
      : { method: 'POST', path: how === 'queue-path' ? `/000000000000/${encodeURIComponent(f.readQueues[0]!.split('/').pop()!)}` : '/', headers: contentType ? { 'content-type': contentType } : {}, body })
  })
})

/** Hostile requests of both dialects, two thirds JSON 1.0 (what current SDKs speak). */
export const hostileRequest = (f: Fixtures) => fc.oneof({ weight: 2, arbitrary: jsonRequest(f) }, { weight: 1, arbitrary: queryRequest(f) })

/** A body sent whole, or chunked (no Content-Length) in pieces of up to 64 KiB: framing must not change the answer. */
const framed = (body: Buffer) => fc.constantFrom('whole', 'chunked').map((framing): RawRequest['body'] => framing === 'whole'
  ? body
  : { chunks: Array.from({ length: Math.ceil(body.length / 65_536) }, (_, i) => body.subarray(i * 65_536, (i + 1) * 65_536)), pauseMs: 0 })

/** `{"QueueUrl": …, "<member>": <value>}` with the value nested `depth` deep, or a flat array of `width` numbers. */
const jsonMember = (queueUrl: string, member: string, value: string) => Buffer.from(`{"QueueUrl":${JSON.stringify(queueUrl)},${JSON.stringify(member)}:${value}}`)

/**
 * Requests built to be expensive to read rather than wrong: a Query form with thousands of parameters (lists and
 * maps), JSON nested thousands deep where a member's value goes or spread hundreds of thousands wide, whole or
 * chunked.
 */
export function expensiveRequest(f: Fixtures): fc.Arbitrary<RawRequest> {
  const queue = fc.constantFrom(...f.readQueues)
  const count = fc.oneof(fc.integer({ min: 500, max: 5_000 }), fc.integer({ min: 5_000, max: 150_000 }))
  const form = fc.record({ queue, count, kind: fc.constantFrom('AttributeName', 'MessageAttribute', 'Tag', 'Entry') }).map(({ queue: QueueUrl, count: n, kind }) => {
    const head = kind === 'AttributeName' ? 'GetQueueAttributes' : kind === 'MessageAttribute' ? 'SendMessage' : kind === 'Tag' ? 'TagQueue' : 'DeleteMessageBatch'
    const parts = [new URLSearchParams({ Action: head, QueueUrl, MessageBody: 'x' }).toString()]
    const perEntry = kind === 'AttributeName' ? 1 : kind === 'MessageAttribute' ? 3 : 2
    for (let i = 1; i <= Math.ceil(n / perEntry); i++) {
      parts.push(kind === 'AttributeName' ? `AttributeName.${i}=All`
        : kind === 'MessageAttribute' ? `MessageAttribute.${i}.Name=a${i}&MessageAttribute.${i}.Value.DataType=String&MessageAttribute.${i}.Value.StringValue=v`
          : kind === 'Tag' ? `Tag.${i}.Key=k${i}&Tag.${i}.Value=v`
            : `DeleteMessageBatchRequestEntry.${i}.Id=e${i}&DeleteMessageBatchRequestEntry.${i}.ReceiptHandle=h`)
    }
    return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(parts.join('&')) }
  })
  const member = fc.constantFrom('Attributes', 'AttributeNames', 'Entries', 'MessageAttributes', 'Tags', 'MessageBody', 'QueueUrl')
  const json = fc.record({
    queue, member,
    action: fc.constantFrom('SetQueueAttributes', 'GetQueueAttributes', 'SendMessageBatch', 'SendMessage', 'TagQueue', 'ReceiveMessage'),
    shape: fc.oneof(
      fc.record({ depth: fc.oneof(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 64, max: 300_000 })), open: fc.constantFrom('[', '{"a":') }).map(({ depth, open }) =>
        open === '[' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${open.repeat(depth)}1${'}'.repeat(depth)}`),
      fc.integer({ min: 1_000, max: 600_000 }).map((width) => `[${Array.from({ length: width }, (_, i) => i % 10).join(',')}]`),
    ),
  }).map(({ queue: QueueUrl, member: name, action, shape }) => ({
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
    body: jsonMember(QueueUrl, name, shape),
  }))
  return fc.oneof(form, json).chain(({ headers, body }) => framed(body).map((framedBody): RawRequest => ({ method: 'POST', path: '/', headers, body: framedBody })))
}
