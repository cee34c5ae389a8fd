import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs'
import { handleSqsEvent, queue, type InvalidMessage, type ProcessedOutcome, type ReceivedMessage, type SqsEventHandler } from '@dqs/client'
import type { SQSEvent, SQSRecord } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createQueueWithDlq, drain, receiveCount, sleep, sqsClient } from './support.js'

const Order = z.object({ id: z.string(), total: z.number() })

/** A record shaped as the AWS Lambda developer guide's example SQS events, with its own id, body and FIFO group. */
function record(messageId: string, body: string, group?: string, sequence = 0): SQSRecord {
  return {
    messageId,
    receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1545082649183',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1545082649185',
      ...(group === undefined ? {} : { MessageGroupId: group, MessageDeduplicationId: messageId, SequenceNumber: `1884949646046769612${sequence}` }),
    },
    messageAttributes: {},
    md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
    eventSource: 'aws:sqs',
    eventSourceARN: group === undefined ? 'arn:aws:sqs:us-east-2:123456789012:my-queue' : 'arn:aws:sqs:us-east-2:123456789012:fifo.fifo',
    awsRegion: 'us-east-2',
  }
}

const order = (id: string, total = 1) => JSON.stringify({ id, total })

describe('handleSqsEvent on a standard queue', () => {
  const orders = queue('my-queue', { client: sqsClient(), schema: Order })

  it('parses each record as a consumer parses a message: body by the schema, attributes decoded', async () => {
    const event: SQSEvent = {
      Records: [{
        messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
        receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...',
        body: '{"id":"o-1","total":42}',
        attributes: {
          ApproximateReceiveCount: '3',
          SentTimestamp: '1545082649183',
          SenderId: 'AIDAIENQZJOLO23YVJ4VO',
          ApproximateFirstReceiveTimestamp: '1545082649185',
        },
        messageAttributes: {
          tenant: { stringValue: 'acme', stringListValues: [], binaryListValues: [], dataType: 'String' },
          attempt: { stringValue: '7', stringListValues: [], binaryListValues: [], dataType: 'Number' },
          raw: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
        },
        md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-2:123456789012:my-queue',
        awsRegion: 'us-east-2',
      }],
    }
    const seen: Array<ReceivedMessage<z.output<typeof Order>>> = []
    const handler = handleSqsEvent(orders, (message) => {
      seen.push(message)
    })
    expect(await handler(event)).toEqual({ batchItemFailures: [] })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({
      body: { id: 'o-1', total: 42 },
      messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
      receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...',
      messageAttributes: { tenant: 'acme', attempt: 7, raw: new Uint8Array([1, 2, 3]) },
      approximateReceiveCount: 3,
      sentTimestamp: 1545082649183,
    })
  })

  it('lists the records whose handler threw, and only those, in batchItemFailures', async () => {
    const outcomes: Array<[string, ProcessedOutcome]> = []
    const errors: Array<[unknown, string]> = []
    const handler = handleSqsEvent(orders, (message) => {
      if (message.body.id === 'bad') throw new Error('declined')
    }, {
      onProcessed: ({ message, outcome }) => outcomes.push([message.messageId, outcome]),
      onError: (error, { operation }) => errors.push([error, operation]),
    })
    const response = await handler({ Records: [record('m1', order('a')), record('m2', order('bad')), record('m3', order('c'))] })
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] })
    expect(outcomes.sort()).toEqual([['m1', 'succeeded'], ['m2', 'failed'], ['m3', 'succeeded']])
    expect(errors).toEqual([[expect.objectContaining({ message: 'declined' }), 'handler']])
  })

  it('reports records whose body is not JSON or does not match the schema as failures, never handing them to the handler', async () => {
    const handled: string[] = []
    const invalid: InvalidMessage[] = []
    const handler = handleSqsEvent(orders, (message) => {
      handled.push(message.body.id)
    }, { onInvalid: (message) => invalid.push(message) })
    const response = await handler({
      Records: [record('m1', order('a')), record('m2', 'not json'), record('m3', '{"id":"c","total":"ten"}'), record('m4', order('d'))],
    })
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] })
    expect(handled.sort()).toEqual(['a', 'd'])
    expect(invalid.map((m) => [m.messageId, m.body])).toEqual([['m2', 'not json'], ['m3', '{"id":"c","total":"ten"}']])
    expect(invalid[0]!.error).toBeInstanceOf(SyntaxError)
    expect(invalid[1]!.error).toMatchObject({ name: 'ZodError' })
  })

  it('answers an empty event with no failures, and refuses an event that is not an SQS event', async () => {
    let calls = 0
    const handler = handleSqsEvent(orders, () => {
      calls++
    })
    expect(await handler({ Records: [] })).toEqual({ batchItemFailures: [] })
    await expect(handler({} as SQSEvent)).rejects.toThrow(TypeError)
    expect(calls).toBe(0)
  })

  it('runs at most `concurrency` handlers at once, and every record', async () => {
    let running = 0
    let maxRunning = 0
    const handled = new Set<string>()
    const handler = handleSqsEvent(orders, async (message) => {
      maxRunning = Math.max(maxRunning, ++running)
      await sleep(20)
      handled.add(message.body.id)
      running--
    }, { concurrency: 3 })
    const records = Array.from({ length: 10 }, (_, i) => record(`m${i}`, order(`o${i}`)))
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] })
    expect(handled.size).toBe(10)
    // all ten records are there at once: only the limit holds them back
    expect(maxRunning).toBe(3)
  })
})

describe('handleSqsEvent on a FIFO queue', () => {
  const events = queue('fifo.fifo', { client: sqsClient(), schema: Order })
  /** Two groups interleaved, as an event source mapping can deliver them: A0 B0 A1 B1 A2 B2 A3 B3. */
  const interleaved = () => Array.from({ length: 8 }, (_, i) => {
    const group = i % 2 === 0 ? 'A' : 'B'
    const seq = Math.floor(i / 2)
    return record(`${group}${seq}`, order(`${group}${seq}`), group, i)
  })

  /** A handler that records the order and overlap of its calls, and fails the records named in `failing`. */
  function tracking(failing: ReadonlySet<string> = new Set()) {
    const handled: string[] = []
    const active = new Map<string, number>()
    let overlapInGroup = 0
    let running = 0
    let maxRunning = 0
    const handler: SqsEventHandler = handleSqsEvent(events, async ({ body, messageGroupId }) => {
      const group = messageGroupId!
      active.set(group, (active.get(group) ?? 0) + 1)
      if (active.get(group)! > 1) overlapInGroup++
      maxRunning = Math.max(maxRunning, ++running)
      await sleep(10)
      handled.push(body.id)
      active.set(group, active.get(group)! - 1)
      running--
      if (failing.has(body.id)) throw new Error(`${body.id} failed`)
    }, { concurrency: 10 })
    return { handler, handled, stats: () => ({ overlapInGroup, maxRunning }) }
  }

  it('handles a group\'s records one after another, in order, and different groups side by side', async () => {
    const { handler, handled, stats } = tracking()
    expect(await handler({ Records: interleaved() })).toEqual({ batchItemFailures: [] })
    expect(handled.filter((id) => id.startsWith('A'))).toEqual(['A0', 'A1', 'A2', 'A3'])
    expect(handled.filter((id) => id.startsWith('B'))).toEqual(['B0', 'B1', 'B2', 'B3'])
    expect(stats()).toEqual({ overlapInGroup: 0, maxRunning: 2 })
  })

  it('after a failure in a group, reports its later records as failures without handling them; other groups go on', async () => {
    const { handler, handled } = tracking(new Set(['A1']))
    const response = await handler({ Records: interleaved() })
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'A1' }, { itemIdentifier: 'A2' }, { itemIdentifier: 'A3' }] })
    expect(handled.filter((id) => id.startsWith('A'))).toEqual(['A0', 'A1'])
    expect(handled.filter((id) => id.startsWith('B'))).toEqual(['B0', 'B1', 'B2', 'B3'])
  })

  it('treats an invalid body as a failure of its group too', async () => {
    const { handler, handled } = tracking()
    const records = interleaved()
    records[2] = { ...records[2]!, body: 'not json' }
    const response = await handler({ Records: records })
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'A1' }, { itemIdentifier: 'A2' }, { itemIdentifier: 'A3' }] })
    expect(handled.filter((id) => id.startsWith('A'))).toEqual(['A0'])
    expect(handled.filter((id) => id.startsWith('B'))).toHaveLength(4)
  })
})

/** The event an SQS event source mapping builds from received messages (binary attributes as base64 text). */
function toEvent(messages: Message[], arn: string): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body!,
      attributes: m.Attributes as unknown as SQSRecord['attributes'],
      messageAttributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([name, value]) => [name, {
        dataType: value.DataType!, stringValue: value.StringValue, stringListValues: [], binaryListValues: [],
        binaryValue: value.BinaryValue && Buffer.from(value.BinaryValue).toString('base64'),
      }])),
      md5OfBody: m.MD5OfBody!,
      eventSource: 'aws:sqs',
      eventSourceARN: arn,
      awsRegion: 'us-east-1',
    })),
  }
}

/** One poll of an event source mapping with ReportBatchItemFailures: receive, invoke, delete what did not fail. */
async function invokeOnce(client: SQSClient, url: string, handler: SqsEventHandler) {
  const { Messages = [] } = await client.send(new ReceiveMessageCommand({
    QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'],
  }))
  if (Messages.length === 0) return
  const { batchItemFailures } = await handler(toEvent(Messages, 'arn:aws:sqs:us-east-1:000000000000:source'))
  const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier))
  const done = Messages.filter((m) => !failed.has(m.MessageId!))
  if (done.length > 0) {
    await client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }))
  }
}

describe('handleSqsEvent behind an event source mapping on DQS', () => {
  it('gets successes deleted, and failures and invalid bodies redelivered, then moved to the dead-letter queue', async () => {
    const client = sqsClient()
    const { source, dlq } = await createQueueWithDlq(client, 'lambda', 2, { VisibilityTimeout: '1' })
    const orders = queue(source.url, { client, schema: Order })
    await orders.sendMany([{ id: 'ok', total: 1 }, { id: 'bad', total: 2 }], { messageAttributes: { raw: new Uint8Array([9]) } })
    await client.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: '{"id":"broken"}' }))
    const attempts = new Map<string, number>()
    const handler = handleSqsEvent(orders, (message) => {
      attempts.set(message.body.id, (attempts.get(message.body.id) ?? 0) + 1)
      expect(message.messageAttributes.raw).toEqual(new Uint8Array([9]))
      if (message.body.id === 'bad') throw new Error('declined')
    })
    // the mapping polls until the redrive policy has moved both (on the receive after their second)
    let stopped = false
    const polling = (async () => {
      while (!stopped) await invokeOnce(client, source.url, handler)
    })()
    const dead = await receiveCount(client, dlq.url, 2, 40_000).finally(() => (stopped = true))
    await polling

    expect(dead.map((m) => m.Body).sort()).toEqual(['{"id":"bad","total":2}', '{"id":"broken"}'])
    expect(Object.fromEntries(attempts)).toEqual({ ok: 1, bad: 2 })
    expect(await drain(client, source.url)).toEqual([])
  }, 60_000)
})
