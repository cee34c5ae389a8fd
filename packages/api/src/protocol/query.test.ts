/** @module protocol/query.test — queryToInput against the form bodies the last Query-speaking SQS client sends. */
import { Readable } from 'node:stream'
import {
  AddPermissionCommand,
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from 'sqs-legacy'
import { describe, expect, it } from 'vitest'
import { queryToInput } from './query.js'

/** Any legacy command: `send` is generic per command, so a heterogeneous table has to forget the exact type. */
type LegacyCommand = { input: object }
const send = (client: SQSClient, command: LegacyCommand) => client.send(command as Parameters<SQSClient['send']>[0])
const actionOf = (command: LegacyCommand) => command.constructor.name.replace(/Command$/, '')

const QueueUrl = 'http://localhost:9324/000000000000/orders'
const trickyBody = 'line 1\r\nline 2 & <tag attr="x"> \'quoted\' — żółć 🚀'
const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:*' }] })

/** Sends a command through the Query-era client and returns the form parameters it put on the wire. */
async function wire(command: LegacyCommand): Promise<URLSearchParams> {
  const captured = new Error('captured')
  let body = ''
  const client = new SQSClient({
    region: 'us-east-1',
    endpoint: 'http://localhost:9324',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
      handle: async (request: { body?: unknown }) => {
        body = String(request.body)
        throw captured
      },
    },
  })
  // The request never needs a response: the handler aborts once it has the body.
  await send(client, command).catch((error: unknown) => {
    if (error !== captured) throw error
  })
  return new URLSearchParams(body)
}

/** The JSON 1.0 shape of a client input: binary members travel as base64 strings. */
function jsonShape(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (Array.isArray(value)) return value.map(jsonShape)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, jsonShape(member)]))
  }
  return value
}

const message = {
  MessageBody: trickyBody,
  DelaySeconds: 5,
  MessageAttributes: {
    color: { DataType: 'String', StringValue: 'blue & "green"' },
    weight: { DataType: 'Number', StringValue: '-12.5e3' },
    blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 254, 255]) },
    tagged: { DataType: 'String.labels', StringValue: 'ünïcödé' },
    raw: { DataType: 'Binary.gzip', BinaryValue: Buffer.from('hello') },
  },
  MessageSystemAttributes: {
    AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' },
  },
}

const roundTrips: LegacyCommand[] = [
  new AddPermissionCommand({
    QueueUrl,
    Label: 'share',
    AWSAccountIds: ['111122223333', '444455556666'],
    Actions: ['SendMessage', 'ReceiveMessage'],
  }),
  new CancelMessageMoveTaskCommand({ TaskHandle: 'eyJ0YXNrSWQiOiIxIn0=' }),
  new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: 'rh+/=1', VisibilityTimeout: 0 }),
  new ChangeMessageVisibilityBatchCommand({
    QueueUrl,
    Entries: [
      { Id: 'a', ReceiptHandle: 'rh-a', VisibilityTimeout: 30 },
      { Id: 'b', ReceiptHandle: 'rh-b' },
    ],
  }),
  new CreateQueueCommand({
    QueueName: 'orders.fifo',
    Attributes: { FifoQueue: 'true', DelaySeconds: '5', Policy: policy },
    tags: { team: 'a&b', 'cost center': '=42' },
  }),
  new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'rh' }),
  new DeleteMessageBatchCommand({
    QueueUrl,
    Entries: [
      { Id: 'one', ReceiptHandle: 'rh-1' },
      { Id: 'two', ReceiptHandle: 'rh-2' },
    ],
  }),
  new DeleteQueueCommand({ QueueUrl }),
  new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All', 'Policy'] }),
  new GetQueueUrlCommand({ QueueName: 'orders', QueueOwnerAWSAccountId: '000000000000' }),
  new ListDeadLetterSourceQueuesCommand({ QueueUrl, NextToken: 'tok+/=', MaxResults: 10 }),
  new ListMessageMoveTasksCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', MaxResults: 5 }),
  new ListQueuesCommand({ QueueNamePrefix: 'ord', NextToken: 'next', MaxResults: 1000 }),
  new ListQueueTagsCommand({ QueueUrl }),
  new PurgeQueueCommand({ QueueUrl }),
  new ReceiveMessageCommand({
    QueueUrl,
    AttributeNames: ['All', 'VisibilityTimeout'],
    MessageAttributeNames: ['color', 'weight.*'],
    MaxNumberOfMessages: 10,
    VisibilityTimeout: 0,
    WaitTimeSeconds: 20,
    ReceiveRequestAttemptId: 'attempt-1',
  }),
  new RemovePermissionCommand({ QueueUrl, Label: 'share' }),
  new SendMessageCommand({ QueueUrl, ...message, MessageDeduplicationId: 'dedup', MessageGroupId: 'group' }),
  new SendMessageBatchCommand({
    QueueUrl,
    Entries: [
      { Id: 'first', ...message, MessageGroupId: 'g' },
      { Id: 'second', MessageBody: 'plain', DelaySeconds: 0 },
      { Id: 'third', MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } } },
    ],
  }),
  new SetQueueAttributesCommand({
    QueueUrl,
    Attributes: { VisibilityTimeout: '60', RedrivePolicy: '{"maxReceiveCount":"5"}' },
  }),
  new StartMessageMoveTaskCommand({
    SourceArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
    DestinationArn: 'arn:aws:sqs:us-east-1:000000000000:orders',
    MaxNumberOfMessagesPerSecond: 50,
  }),
  new TagQueueCommand({ QueueUrl, Tags: { env: 'prod', owner: '' } }),
  new UntagQueueCommand({ QueueUrl, TagKeys: ['env', 'owner'] }),
]

describe('queryToInput, fed by the Query-era client', () => {
  it.each(roundTrips.map((command) => [actionOf(command), command] as const))(
    '%s: the wire form maps back to the JSON input',
    async (action, command) => {
      const params = await wire(command)
      expect(params.get('Action')).toBe(action)
      expect(queryToInput(action, params)).toStrictEqual(jsonShape(command.input))
    },
  )

  it('covers every Query action', () => {
    expect(new Set(roundTrips.map(actionOf)).size).toBe(23)
  })

  it('turns the bare `Prefix=` the client sends for an empty list into an empty list', async () => {
    const params = await wire(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [] }))
    expect(params.get('AttributeName')).toBe('')
    expect(queryToInput('GetQueueAttributes', params)).toStrictEqual({ QueueUrl, AttributeNames: [] })

    const batch = await wire(new DeleteMessageBatchCommand({ QueueUrl, Entries: [] }))
    expect(queryToInput('DeleteMessageBatch', batch)).toStrictEqual({ QueueUrl, Entries: [] })
  })

  it('sees nothing of an empty map, because the client sends nothing for it', async () => {
    const params = await wire(new SetQueueAttributesCommand({ QueueUrl, Attributes: {} }))
    expect(queryToInput('SetQueueAttributes', params)).toStrictEqual({ QueueUrl })
  })

  it('translates list-valued message attributes (reserved by SQS, rejected later by validation)', async () => {
    const input = {
      QueueUrl,
      MessageBody: 'x',
      MessageAttributes: {
        list: { DataType: 'String', StringListValues: ['a', 'b'], BinaryListValues: [new Uint8Array([1])] },
      },
    }
    expect(queryToInput('SendMessage', await wire(new SendMessageCommand(input)))).toStrictEqual(jsonShape(input))
  })
})

describe('queryToInput, hand-written requests', () => {
  const form = (query: string) => new URLSearchParams(query)

  it('drops the action, version and signature parameters', () => {
    const params = form(
      'Action=DeleteQueue&Version=2012-11-05&QueueUrl=q' +
        '&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fsqs%2Faws4_request' +
        '&X-Amz-Date=20240101T000000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=abc' +
        '&X-Amz-Security-Token=tok&AWSAccessKeyId=AKID&Signature=sig&SignatureMethod=HmacSHA256' +
        '&SignatureVersion=2&Timestamp=2024-01-01T00%3A00%3A00Z&Expires=2024-01-01T00%3A05%3A00Z&SecurityToken=tok',
    )
    expect(queryToInput('DeleteQueue', params)).toStrictEqual({ QueueUrl: 'q' })
  })

  it('orders list items by numeric index, tolerating gaps and any order', () => {
    const params = form('AttributeName.10=d&AttributeName.2=b&AttributeName.1=a&AttributeName.7=c')
    expect(queryToInput('GetQueueAttributes', params)).toStrictEqual({ AttributeNames: ['a', 'b', 'c', 'd'] })
  })

  it('orders batch entries by index and keeps each entry’s fields together', () => {
    const params = form(
      'SendMessageBatchRequestEntry.3.Id=c&SendMessageBatchRequestEntry.1.MessageBody=one' +
        '&SendMessageBatchRequestEntry.3.MessageBody=three&SendMessageBatchRequestEntry.1.Id=a' +
        '&SendMessageBatchRequestEntry.3.MessageAttribute.2.Value.StringValue=v2' +
        '&SendMessageBatchRequestEntry.3.MessageAttribute.1.Name=k1' +
        '&SendMessageBatchRequestEntry.3.MessageAttribute.2.Name=k2' +
        '&SendMessageBatchRequestEntry.3.MessageAttribute.2.Value.DataType=String' +
        '&SendMessageBatchRequestEntry.3.MessageAttribute.1.Value.DataType=Number' +
        '&SendMessageBatchRequestEntry.3.MessageAttribute.1.Value.StringValue=1' +
        '&SendMessageBatchRequestEntry.1.DelaySeconds=9',
    )
    expect(queryToInput('SendMessageBatch', params)).toStrictEqual({
      Entries: [
        { Id: 'a', MessageBody: 'one', DelaySeconds: 9 },
        {
          Id: 'c',
          MessageBody: 'three',
          MessageAttributes: {
            k1: { DataType: 'Number', StringValue: '1' },
            k2: { DataType: 'String', StringValue: 'v2' },
          },
        },
      ],
    })
  })

  it('ignores items whose index is not a positive integer', () => {
    const params = form(
      'AttributeName.0=zero&AttributeName.-1=neg&AttributeName.x=x&AttributeName.1.5=nested&AttributeName.2=kept' +
        '&Attribute.0.Name=A&Attribute.0.Value=1&Attribute.one.Name=B&Attribute.one.Value=2',
    )
    expect(queryToInput('ReceiveMessage', params)).toStrictEqual({
      AttributeNames: ['kept'],
      'Attribute.0.Name': 'A',
      'Attribute.0.Value': '1',
      'Attribute.one.Name': 'B',
      'Attribute.one.Value': '2',
    })
    expect(queryToInput('SetQueueAttributes', form('Attribute.0.Name=A&Attribute.0.Value=1'))).toStrictEqual({
      Attributes: {},
    })
  })

  it('keeps numeric members that are not integers as the original text', () => {
    const params = form(
      'MaxNumberOfMessages=ten&VisibilityTimeout=&WaitTimeSeconds=1.5&MaxResults=99999999999999999999' +
        '&DelaySeconds=-3&QueueUrl=42',
    )
    expect(queryToInput('ReceiveMessage', params)).toStrictEqual({
      MaxNumberOfMessages: 'ten',
      VisibilityTimeout: '',
      WaitTimeSeconds: '1.5',
      MaxResults: '99999999999999999999',
      DelaySeconds: -3,
      QueueUrl: '42',
    })
    const batch = form(
      'ChangeMessageVisibilityBatchRequestEntry.1.Id=a' +
        '&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=0x10' +
        '&ChangeMessageVisibilityBatchRequestEntry.2.Id=b' +
        '&ChangeMessageVisibilityBatchRequestEntry.2.VisibilityTimeout=007',
    )
    expect(queryToInput('ChangeMessageVisibilityBatch', batch)).toStrictEqual({
      Entries: [
        { Id: 'a', VisibilityTimeout: '0x10' },
        { Id: 'b', VisibilityTimeout: 7 },
      ],
    })
  })

  it('accepts MessageSystemAttributeName.N from newer clients', () => {
    const params = form('QueueUrl=q&MessageSystemAttributeName.1=SenderId&MessageSystemAttributeName.2=SentTimestamp')
    expect(queryToInput('ReceiveMessage', params)).toStrictEqual({
      QueueUrl: 'q',
      MessageSystemAttributeNames: ['SenderId', 'SentTimestamp'],
    })
  })

  it('reads a bare `AttributeName=All` as a one-item list', () => {
    expect(queryToInput('ReceiveMessage', form('AttributeName=All'))).toStrictEqual({ AttributeNames: ['All'] })
  })

  it('keeps unknown parameters, and everything of an unknown action, as they are', () => {
    expect(queryToInput('GetQueueUrl', form('QueueName=q&Bogus=1&Tag.1.Key=k'))).toStrictEqual({
      QueueName: 'q',
      Bogus: '1',
      'Tag.1.Key': 'k',
    })
    expect(queryToInput('Frobnicate', form('Action=Frobnicate&A=1&B.1=2&MaxResults=3'))).toStrictEqual({
      A: '1',
      'B.1': '2',
      MaxResults: 3,
    })
  })

  it('keeps the first value of a repeated parameter', () => {
    expect(queryToInput('DeleteQueue', form('QueueUrl=first&QueueUrl=second'))).toStrictEqual({ QueueUrl: 'first' })
  })

  it('skips map entries without a name and keeps a message attribute without a value for validation to reject', () => {
    const params = form('MessageAttribute.1.Value.DataType=String&MessageAttribute.2.Name=empty&Tag.1.Value=orphan')
    expect(queryToInput('SendMessage', params)).toStrictEqual({
      MessageAttributes: { empty: {} },
      'Tag.1.Value': 'orphan',
    })
    expect(queryToInput('TagQueue', form('Tag.1.Value=orphan&Tag.2.Key=lonely'))).toStrictEqual({ Tags: {} })
  })

  it('stores a member named __proto__ as an own property', () => {
    const params = form('MessageAttribute.1.Name=__proto__&MessageAttribute.1.Value.DataType=String')
    const input = queryToInput('SendMessage', params)
    const attributes = input['MessageAttributes'] as Record<string, unknown>
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype)
    expect(Object.hasOwn(attributes, '__proto__')).toBe(true)
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toStrictEqual({ DataType: 'String' })
  })
})
