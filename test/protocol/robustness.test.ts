/** Random and mutated requests in both dialects: whatever the input, the answer is an SQS answer, never a 500. */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { accountId, endpoint, jsonClient, uniqueQueueName } from '../support/clients.js'

/** Fixed so a run is repeatable; DQS_FUZZ_SEED explores other inputs (and DQS_FUZZ_RUNS more of them). */
const seed = Number(process.env.DQS_FUZZ_SEED ?? 20_260_101)
const runs = (n: number) => Number(process.env.DQS_FUZZ_RUNS ?? n)

interface Target { queueUrl: string; receiptHandle: string; queuePath: string }
let target: Target

/**
 * A valid input for every action on the target queue: mutations of these get past the first checks and reach the
 * engine. DeleteQueue is left out so the target survives the run.
 */
function jsonTemplates({ queueUrl: QueueUrl, receiptHandle: ReceiptHandle }: Target): Record<string, Record<string, unknown>> {
  const attribute = { a: { DataType: 'String', StringValue: 'v' }, b: { DataType: 'Binary', BinaryValue: 'AAEC' } }
  return {
    CreateQueue: { QueueName: 'fuzz-created', Attributes: { VisibilityTimeout: '30' }, tags: { a: 'b' } },
    GetQueueUrl: { QueueName: 'fuzz-created', QueueOwnerAWSAccountId: accountId },
    ListQueues: { QueueNamePrefix: 'fuzz', MaxResults: 5, NextToken: 'eyJhZnRlciI6ImEifQ==' },
    SendMessage: { QueueUrl, MessageBody: 'x', MessageAttributes: attribute, DelaySeconds: 0, MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 't' } } },
    SendMessageBatch: { QueueUrl, Entries: [{ Id: 'a', MessageBody: 'x', MessageAttributes: attribute }, { Id: 'b', MessageBody: 'y', DelaySeconds: 1 }] },
    ReceiveMessage: { QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, AttributeNames: ['All'], MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['SenderId'] },
    DeleteMessage: { QueueUrl, ReceiptHandle },
    DeleteMessageBatch: { QueueUrl, Entries: [{ Id: 'a', ReceiptHandle }] },
    ChangeMessageVisibility: { QueueUrl, ReceiptHandle, VisibilityTimeout: 0 },
    ChangeMessageVisibilityBatch: { QueueUrl, Entries: [{ Id: 'a', ReceiptHandle, VisibilityTimeout: 0 }] },
    GetQueueAttributes: { QueueUrl, AttributeNames: ['All'] },
    SetQueueAttributes: { QueueUrl, Attributes: { DelaySeconds: '0', RedrivePolicy: '', RedriveAllowPolicy: '{"redrivePermission":"allowAll"}' } },
    TagQueue: { QueueUrl, Tags: { a: 'b' } },
    UntagQueue: { QueueUrl, TagKeys: ['a'] },
    ListQueueTags: { QueueUrl },
    AddPermission: { QueueUrl, Label: 'l', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] },
    RemovePermission: { QueueUrl, Label: 'l' },
    ListDeadLetterSourceQueues: { QueueUrl, MaxResults: 2 },
    PurgeQueue: { QueueUrl },
  }
}

/** The same inputs as Query form fields. */
function queryTemplates({ queueUrl: QueueUrl, receiptHandle: ReceiptHandle }: Target): Array<Array<[string, string]>> {
  const attribute = (prefix: string): Array<[string, string]> => [
    [`${prefix}MessageAttribute.1.Name`, 'a'], [`${prefix}MessageAttribute.1.Value.DataType`, 'String'], [`${prefix}MessageAttribute.1.Value.StringValue`, 'v'],
    [`${prefix}MessageAttribute.2.Name`, 'b'], [`${prefix}MessageAttribute.2.Value.DataType`, 'Binary'], [`${prefix}MessageAttribute.2.Value.BinaryValue`, 'AAEC'],
  ]
  return [
    [['Action', 'CreateQueue'], ['QueueName', 'fuzz-created'], ['Attribute.1.Name', 'VisibilityTimeout'], ['Attribute.1.Value', '30'], ['Tag.1.Key', 'a'], ['Tag.1.Value', 'b']],
    [['Action', 'SendMessage'], ['QueueUrl', QueueUrl], ['MessageBody', 'x'], ['DelaySeconds', '0'], ...attribute('')],
    [['Action', 'SendMessageBatch'], ['QueueUrl', QueueUrl], ['SendMessageBatchRequestEntry.1.Id', 'a'], ['SendMessageBatchRequestEntry.1.MessageBody', 'x'], ...attribute('SendMessageBatchRequestEntry.1.')],
    [['Action', 'ReceiveMessage'], ['QueueUrl', QueueUrl], ['MaxNumberOfMessages', '10'], ['VisibilityTimeout', '0'], ['AttributeName.1', 'All'], ['MessageAttributeName.1', 'All'], ['MessageSystemAttributeName.1', 'SenderId']],
    [['Action', 'DeleteMessage'], ['QueueUrl', QueueUrl], ['ReceiptHandle', ReceiptHandle]],
    [['Action', 'DeleteMessageBatch'], ['QueueUrl', QueueUrl], ['DeleteMessageBatchRequestEntry.1.Id', 'a'], ['DeleteMessageBatchRequestEntry.1.ReceiptHandle', ReceiptHandle]],
    [['Action', 'ChangeMessageVisibilityBatch'], ['QueueUrl', QueueUrl], ['ChangeMessageVisibilityBatchRequestEntry.1.Id', 'a'], ['ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle', ReceiptHandle], ['ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout', '0']],
    [['Action', 'GetQueueAttributes'], ['QueueUrl', QueueUrl], ['AttributeName.1', 'All']],
    [['Action', 'SetQueueAttributes'], ['QueueUrl', QueueUrl], ['Attribute.1.Name', 'DelaySeconds'], ['Attribute.1.Value', '0']],
    [['Action', 'TagQueue'], ['QueueUrl', QueueUrl], ['Tag.1.Key', 'a'], ['Tag.1.Value', 'b']],
    [['Action', 'UntagQueue'], ['QueueUrl', QueueUrl], ['TagKey.1', 'a']],
    [['Action', 'AddPermission'], ['QueueUrl', QueueUrl], ['Label', 'l'], ['AWSAccountId.1', '111122223333'], ['ActionName.1', 'SendMessage']],
    [['Action', 'ListQueues'], ['QueueNamePrefix', 'fuzz'], ['MaxResults', '5']],
  ]
}

/** Strings a parser should survive, and the real values that take a request past validation. */
const text = fc.oneof(
  fc.string(), fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', 'All', '.*', '-1', '0', '11', '1e3', '9'.repeat(30), 'true', 'null', '{}', '[]', 'String', 'Number', 'Binary', '__proto__'),
  fc.constant(null).map(() => target.queueUrl), fc.constant(null).map(() => target.receiptHandle),
)
/** Any JSON value; integers 1–20 are kept out (as a WaitTimeSeconds they would make real long polls). */
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, text, fc.oneof(fc.integer({ min: -5, max: 0 }), fc.integer({ min: 21 })), fc.double(),
    fc.boolean(), fc.constant(null), fc.array(tie('any'), { maxLength: 12 }), fc.dictionary(text, tie('any'), { maxKeys: 4 })),
})).any

/** Replace, drop or add a member somewhere in a JSON input (walking `depth` levels down, choosing by `pick`). */
const edit = fc.record({ depth: fc.nat({ max: 3 }), pick: fc.nat(), op: fc.constantFrom('set', 'drop', 'add'), key: text, value })
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never

function applyEdit(input: Record<string, unknown>, { depth, pick, op, key, value }: Edit) {
  let node: Record<string, unknown> = input
  for (let d = 0; d < depth; d++) {
    const keys = Object.keys(node)
    const next = keys.length ? node[keys[pick % keys.length]!] : undefined
    if (!next || typeof next !== 'object') break
    node = next as Record<string, unknown>
  }
  const keys = Object.keys(node)
  const name = op === 'add' || !keys.length ? key : keys[pick % keys.length]!
  if (op === 'drop') delete node[name]
  else Object.defineProperty(node, name, { value, enumerable: true, writable: true, configurable: true })
}

const jsonRequests = fc.oneof(
  { weight: 4, arbitrary: fc.record({ action: fc.constantFrom(...Object.keys(jsonTemplates({} as Target))), edits: fc.array(edit, { minLength: 1, maxLength: 3 }) })
    .map(({ action, edits }) => {
      const input = structuredClone(jsonTemplates(target)[action]!)
      for (const e of edits) applyEdit(input, e)
      return { action, body: JSON.stringify(input) }
    }) },
  { weight: 1, arbitrary: fc.record({ action: fc.constantFrom('FooBar', '', 'constructor', '__proto__', 'toString'), body: fc.json() }) },
  { weight: 1, arbitrary: fc.record({ action: fc.constantFrom('SendMessage', 'ReceiveMessage', 'CreateQueue'), body: fc.string({ unit: 'binary', maxLength: 200 }) }) },
)

/** Replace a value, drop a field, repeat it, renumber its index, or add a random field. */
const formEdit = fc.record({ pick: fc.nat(), op: fc.constantFrom('set', 'drop', 'repeat', 'renumber', 'add'), key: text, value: text, index: fc.constantFrom('0', '-1', '11', '99999999999999999999', 'x', '') })
const queryRequests = fc.record({
  template: fc.nat(),
  edits: fc.array(formEdit, { minLength: 1, maxLength: 4 }),
  method: fc.constantFrom('GET', 'POST'),
  path: fc.constantFrom('/', '/queue', `/${accountId}/`, '/123/abc', '/x/y/z', 'QUEUE'),
}).map(({ template, edits, method, path }) => {
  const all = queryTemplates(target)
  const fields = [...all[template % all.length]!]
  for (const { pick, op, key, value, index } of edits) {
    const at = pick % Math.max(fields.length, 1)
    const field = fields[at]
    if (op === 'add' || !field) fields.push([key, value])
    else if (op === 'drop') fields.splice(at, 1)
    else if (op === 'repeat') fields.push([field[0], value])
    else if (op === 'renumber') fields[at] = [field[0].replace(/\.\d+(\.|$)/, `.${index}$1`), field[1]]
    else fields[at] = [field[0], value]
  }
  return { form: new URLSearchParams(fields).toString(), method, path: path === 'QUEUE' ? target.queuePath : path }
})

function checkAnswer(response: Response, body: string) {
  expect(response.status, body).toBeLessThan(500)
  expect(response.headers.get('x-amzn-requestid')).toBeTruthy()
}

describe('no input gives a 500', () => {
  beforeAll(async () => {
    const client = jsonClient()
    const name = uniqueQueueName('fuzz')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    await client.sendMessage({ QueueUrl, MessageBody: 'target' })
    const { Messages } = await client.receiveMessage({ QueueUrl, VisibilityTimeout: 0 })
    target = { queueUrl: QueueUrl!, receiptHandle: Messages![0]!.ReceiptHandle!, queuePath: `/${accountId}/${name}` }
  })

  it('over AWS JSON 1.0', async () => {
    await fc.assert(fc.asyncProperty(jsonRequests, fc.boolean(), async ({ action, body }, onQueuePath) => {
      const response = await fetch(`${endpoint}${onQueuePath ? target.queuePath : '/'}`, {
        method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` }, body,
      })
      const answer = await response.text()
      checkAnswer(response, answer)
      expect(() => JSON.parse(answer)).not.toThrow()
    }), { numRuns: runs(300), seed })
  }, 120_000)

  it('over Query', async () => {
    await fc.assert(fc.asyncProperty(queryRequests, async ({ form, method, path }) => {
      const response = method === 'GET'
        ? await fetch(`${endpoint}${path}?${form}`)
        : await fetch(`${endpoint}${path}`, { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })
      checkAnswer(response, await response.text())
    }), { numRuns: runs(300), seed })
  }, 120_000)

  it('for byte-level mutations of valid requests in both dialects', async () => {
    const validJson = JSON.stringify(jsonTemplates(target).SendMessage)
    const validForm = new URLSearchParams(queryTemplates(target)[1]).toString()
    const mutation = (source: string) => fc.array(fc.tuple(fc.nat({ max: source.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
      .map((edits) => {
        const bytes = Buffer.from(source)
        for (const [at, byte] of edits) bytes[at] = byte
        return bytes
      })
    await fc.assert(fc.asyncProperty(fc.oneof(
      mutation(validJson).map((body) => ({ body, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' } })),
      mutation(validForm).map((body) => ({ body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })),
    ), async ({ body, headers }) => {
      const response = await fetch(`${endpoint}/`, { method: 'POST', headers, body })
      checkAnswer(response, await response.text())
    }), { numRuns: runs(200), seed })
  }, 120_000)
})
