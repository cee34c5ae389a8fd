/** @module protocol/xml.test — XML documents checked by parsing them with the last Query-speaking SQS client. */
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
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
  QueueDoesNotExist,
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
import { xmlError, xmlResponse } from './xml.js'

/** Any legacy command: `send` is generic per command, so a heterogeneous table has to forget the exact type. */
type LegacyCommand = { input: object }
const send = (client: SQSClient, command: LegacyCommand) => client.send(command as Parameters<SQSClient['send']>[0])

const namespace = 'http://queue.amazonaws.com/doc/2012-11-05/'
const QueueUrl = 'http://localhost:9324/000000000000/orders'
const QueueArn = 'arn:aws:sqs:us-east-1:000000000000:orders'
const DlqArn = 'arn:aws:sqs:us-east-1:000000000000:orders-dlq'
const trickyBody = 'line 1\r\nline 2\r & <tag attr="x"> \'quoted\' ]]> — żółć 🚀\t'
const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:*' }] })
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex')
const actionOf = (command: LegacyCommand) => command.constructor.name.replace(/Command$/, '')

/** Has the Query-era client parse `xml` as the HTTP response to `command`; returns its output without `$metadata`. */
async function parsedByClient(command: LegacyCommand, xml: string, statusCode = 200): Promise<object> {
  const client = new SQSClient({
    region: 'us-east-1',
    endpoint: 'http://localhost:9324',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
      handle: async () => ({ response: { statusCode, headers: {}, body: Readable.from([Buffer.from(xml)]) } }),
    },
  })
  const { $metadata, ...output } = await send(client, command)
  return output
}

/**
 * What a Query client makes of a JSON 1.0 output: binary arrives decoded, and empty lists and maps are absent
 * because Query has no way to write them.
 */
function clientShape(value: unknown, key = ''): unknown {
  if (key === 'BinaryValue') return new Uint8Array(Buffer.from(value as string, 'base64'))
  if (key === 'BinaryListValues') return (value as string[]).map((item) => clientShape(item, 'BinaryValue'))
  if (Array.isArray(value)) return value.map((item) => clientShape(item))
  if (value && typeof value === 'object') {
    const members = Object.entries(value).filter(([, member]) => !isEmptyCollection(member))
    return Object.fromEntries(members.map(([name, member]) => [name, clientShape(member, name)]))
  }
  return value
}

const isEmptyCollection = (value: unknown) => !!value && typeof value === 'object' && Object.keys(value).length === 0

const messageAttributes = {
  color: { DataType: 'String', StringValue: 'blue & "green" <3' },
  weight: { DataType: 'Number', StringValue: '-12.5e3' },
  blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 254, 255]).toString('base64') },
  tagged: { DataType: 'String.labels', StringValue: 'ünïcödé\r' },
}

const batchFailure = {
  Id: 'bad',
  SenderFault: true,
  Code: 'ReceiptHandleIsInvalid',
  Message: 'The input receipt handle "x<y>" is not a valid receipt handle.',
}

const cases: { command: LegacyCommand; output: Record<string, unknown> }[] = [
  { command: new AddPermissionCommand({ QueueUrl, Label: 'l', AWSAccountIds: ['1'], Actions: ['*'] }), output: {} },
  {
    command: new CancelMessageMoveTaskCommand({ TaskHandle: 't' }),
    output: { ApproximateNumberOfMessagesMoved: 1234 },
  },
  { command: new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: 'r', VisibilityTimeout: 1 }), output: {} },
  {
    command: new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: [] }),
    output: { Successful: [{ Id: 'a' }, { Id: 'b' }], Failed: [batchFailure] },
  },
  { command: new CreateQueueCommand({ QueueName: 'orders' }), output: { QueueUrl } },
  { command: new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'r' }), output: {} },
  {
    command: new DeleteMessageBatchCommand({ QueueUrl, Entries: [] }),
    output: { Successful: [{ Id: 'only' }], Failed: [] },
  },
  { command: new DeleteQueueCommand({ QueueUrl }), output: {} },
  {
    command: new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    output: {
      Attributes: {
        QueueArn,
        Policy: policy,
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: DlqArn, maxReceiveCount: 5 }),
        VisibilityTimeout: '30',
        ApproximateNumberOfMessages: '0',
        KmsMasterKeyId: '',
      },
    },
  },
  { command: new GetQueueUrlCommand({ QueueName: 'orders' }), output: { QueueUrl } },
  {
    command: new ListDeadLetterSourceQueuesCommand({ QueueUrl }),
    output: { queueUrls: [QueueUrl, `${QueueUrl}-2`], NextToken: 'tok+/=' },
  },
  {
    command: new ListMessageMoveTasksCommand({ SourceArn: DlqArn }),
    output: {
      Results: [
        {
          TaskHandle: 'handle',
          Status: 'RUNNING',
          SourceArn: DlqArn,
          DestinationArn: QueueArn,
          MaxNumberOfMessagesPerSecond: 10,
          ApproximateNumberOfMessagesMoved: 5,
          ApproximateNumberOfMessagesToMove: 10,
          StartedTimestamp: 1700000000000,
        },
        { Status: 'FAILED', SourceArn: DlqArn, FailureReason: 'AccessDenied', StartedTimestamp: 1690000000000 },
      ],
    },
  },
  { command: new ListQueuesCommand({}), output: { QueueUrls: [QueueUrl], NextToken: 'next' } },
  { command: new ListQueueTagsCommand({ QueueUrl }), output: { Tags: { env: 'prod', 'a&b': '<c>', empty: '' } } },
  { command: new PurgeQueueCommand({ QueueUrl }), output: {} },
  {
    command: new ReceiveMessageCommand({ QueueUrl }),
    output: {
      Messages: [
        {
          MessageId: '5fea7756-0ea4-451a-a703-a558b933e274',
          ReceiptHandle: 'MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+Cw==',
          MD5OfBody: md5(trickyBody),
          Body: trickyBody,
          Attributes: {
            SenderId: 'AIDAEXAMPLE',
            SentTimestamp: '1700000000000',
            ApproximateReceiveCount: '2',
            ApproximateFirstReceiveTimestamp: '1700000000001',
            AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
          },
          MD5OfMessageAttributes: '0123456789abcdef0123456789abcdef',
          MessageAttributes: messageAttributes,
        },
        { MessageId: 'second', ReceiptHandle: 'rh2', MD5OfBody: md5('{"json":true}'), Body: '{"json":true}' },
      ],
    },
  },
  { command: new RemovePermissionCommand({ QueueUrl, Label: 'l' }), output: {} },
  {
    command: new SendMessageCommand({ QueueUrl, MessageBody: trickyBody }),
    output: {
      MD5OfMessageBody: md5(trickyBody),
      MD5OfMessageAttributes: '0123456789abcdef0123456789abcdef',
      MD5OfMessageSystemAttributes: 'fedcba9876543210fedcba9876543210',
      MessageId: 'id-1',
      SequenceNumber: '18849496460467696128',
    },
  },
  {
    command: new SendMessageBatchCommand({
      QueueUrl,
      Entries: [
        { Id: 'first', MessageBody: trickyBody },
        { Id: 'second', MessageBody: 'plain' },
        { Id: 'bad', MessageBody: 'x' },
      ],
    }),
    output: {
      Successful: [
        { Id: 'first', MessageId: 'm1', MD5OfMessageBody: md5(trickyBody), SequenceNumber: '1' },
        {
          Id: 'second',
          MessageId: 'm2',
          MD5OfMessageBody: md5('plain'),
          MD5OfMessageAttributes: '0123456789abcdef0123456789abcdef',
          MD5OfMessageSystemAttributes: 'fedcba9876543210fedcba9876543210',
        },
      ],
      Failed: [{ ...batchFailure, SenderFault: false, Code: 'InternalError' }],
    },
  },
  { command: new SetQueueAttributesCommand({ QueueUrl, Attributes: {} }), output: {} },
  { command: new StartMessageMoveTaskCommand({ SourceArn: DlqArn }), output: { TaskHandle: 'eyJ0YXNrIjoxfQ==' } },
  { command: new TagQueueCommand({ QueueUrl, Tags: {} }), output: {} },
  { command: new UntagQueueCommand({ QueueUrl, TagKeys: [] }), output: {} },
]

describe('xmlResponse, read by the Query-era client', () => {
  const named = cases.map(({ command, output }) => [actionOf(command), command, output] as const)

  it.each(named)('%s: the client reads back the JSON output', async (action, command, output) => {
    const xml = xmlResponse(action, output, 'req-1')
    expect(XMLValidator.validate(xml)).toBe(true)
    expect(await parsedByClient(command, xml)).toStrictEqual(clientShape(output))
  })

  it('covers every Query action', () => {
    expect(new Set(cases.map(({ command }) => actionOf(command))).size).toBe(23)
  })

  it('carries message attribute list values (reserved by SQS) as flattened elements', async () => {
    const output = {
      Messages: [
        {
          MessageId: 'm',
          MD5OfBody: md5('b'),
          Body: 'b',
          MessageAttributes: {
            list: { DataType: 'String', StringListValues: ['a', 'b'], BinaryListValues: ['AAE=', '/w=='] },
          },
        },
      ],
    }
    const xml = xmlResponse('ReceiveMessage', output, 'r')
    expect(xml).toContain('<StringListValue>a</StringListValue><StringListValue>b</StringListValue>')
    expect(await parsedByClient(new ReceiveMessageCommand({ QueueUrl }), xml)).toStrictEqual(clientShape(output))
  })
})

describe('xmlResponse, document shape', () => {
  it('writes the SQS envelope with the result and the request id', () => {
    expect(xmlResponse('CreateQueue', { QueueUrl }, 'req-1')).toBe(
      `<CreateQueueResponse xmlns="${namespace}"><CreateQueueResult><QueueUrl>${QueueUrl}</QueueUrl></CreateQueueResult>` +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateQueueResponse>',
    )
  })

  it('writes no result element for actions without output', () => {
    expect(xmlResponse('DeleteQueue', {}, 'req-2')).toBe(
      `<DeleteQueueResponse xmlns="${namespace}"><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata>` +
        '</DeleteQueueResponse>',
    )
  })

  it('writes an empty result element that the client reads as no messages', async () => {
    const xml = xmlResponse('ReceiveMessage', { Messages: [] }, 'req-3')
    expect(xml).toContain('<ReceiveMessageResult/>')
    expect(await parsedByClient(new ReceiveMessageCommand({ QueueUrl }), xml)).toStrictEqual({})
  })

  it('flattens maps and lists the way SQS does', () => {
    const xml = xmlResponse('ListQueueTags', { Tags: { a: '1', b: '2' } }, 'r')
    expect(xml).toContain('<Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag>')
    const batch = xmlResponse('DeleteMessageBatch', { Successful: [{ Id: 'x' }], Failed: [batchFailure] }, 'r')
    expect(batch).toContain('<DeleteMessageBatchResultEntry><Id>x</Id></DeleteMessageBatchResultEntry>')
    expect(batch).toContain('<BatchResultErrorEntry><Id>bad</Id><SenderFault>true</SenderFault>')
  })

  it('escapes markup, quotes and carriage returns', () => {
    const xml = xmlResponse('ReceiveMessage', { Messages: [{ Body: 'a\r\nb & <c> "d" \'e\'' }] }, 'r')
    expect(xml).toContain('<Body>a&#xD;\nb &amp; &lt;c&gt; &quot;d&quot; \'e\'</Body>')
  })

  it('never writes a character XML 1.0 forbids, whatever reaches it', () => {
    const forbidden = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u
    const hostile = 'a\u0000b\u0001c\u001F\uFFFE\uFFFF\uD800d\uDC00e'
    const xml = xmlResponse('ListQueueTags', { Tags: { [`k${hostile}`]: hostile } }, `r${hostile}`)
    const error = xmlError({ queryCode: 'InvalidParameterValue', message: `Value ${hostile} is invalid.`, fault: 'Sender' }, 'r')
    for (const document of [xml, error]) {
      expect(document).not.toMatch(forbidden)
      expect(XMLValidator.validate(document)).toBe(true)
    }
    // tabs, newlines, astral characters and the last allowed BMP character are kept as they are
    const kept = xmlResponse('ListQueueTags', { Tags: { k: 'a\tb\nc 😀 \uFFFD' } }, 'r')
    expect(kept).toContain('<Value>a\tb\nc 😀 \uFFFD</Value>')
    expect(xml).toContain('<Value>a\uFFFDb\uFFFDc\uFFFD\uFFFD\uFFFD\uFFFDd\uFFFDe</Value>')
  })

  it('is read back exactly by a current XML parser too', () => {
    const xml = xmlResponse('GetQueueAttributes', { Attributes: { Policy: policy } }, 'r"1')
    const parsed = new XMLParser({ parseTagValue: false, trimValues: false }).parse(xml)
    const response = parsed.GetQueueAttributesResponse
    expect(response.GetQueueAttributesResult.Attribute).toStrictEqual({ Name: 'Policy', Value: policy })
    expect(response.ResponseMetadata.RequestId).toBe('r"1')
  })
})

describe('xmlError', () => {
  const error = {
    queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    message: 'No <queue> & "x"',
    fault: 'Sender' as const,
  }

  it('writes the SQS error document', () => {
    expect(xmlError(error, 'req-9')).toBe(
      `<?xml version="1.0"?><ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type>` +
        '<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>No &lt;queue&gt; &amp; &quot;x&quot;</Message>' +
        '<Detail/></Error><RequestId>req-9</RequestId></ErrorResponse>',
    )
    expect(xmlError({ queryCode: 'InternalFailure', message: 'oops', fault: 'Receiver' }, 'r')).toContain(
      '<Type>Receiver</Type><Code>InternalFailure</Code>',
    )
  })

  it('is thrown by the client as the modeled exception', async () => {
    const thrown = await parsedByClient(new GetQueueUrlCommand({ QueueName: 'x' }), xmlError(error, 'r'), 400).catch(
      (e: unknown) => e,
    )
    expect(thrown).toBeInstanceOf(QueueDoesNotExist)
    // This client decorates modeled exceptions with the whole document, so the text lands in `Error`, not `message`.
    expect(thrown).toMatchObject({
      $fault: 'client',
      Error: { Type: 'Sender', Code: error.queryCode, Message: error.message },
      RequestId: 'r',
    })
  })

  it('is thrown by the client under its code when the client does not model it', async () => {
    const invalid = { queryCode: 'InvalidParameterValue', message: 'Value -1 is invalid.', fault: 'Sender' as const }
    const xml = xmlError(invalid, 'r')
    const thrown = await parsedByClient(new ListQueuesCommand({}), xml, 400).catch((e: unknown) => e)
    expect(thrown).toMatchObject({ name: 'InvalidParameterValue', message: 'Value -1 is invalid.' })
  })
})
