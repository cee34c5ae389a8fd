import type { SQS } from '@aws-sdk/client-sqs'
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { clients, jsonClient, queryClient, uniqueQueueName } from '../support/clients.js'

const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'
const own = 'Root=1-67891233-abcdef012345678912345678;Parent=463ac35c9f6413ad;Sampled=0'

/** A client that sends `X-Amzn-Trace-Id` on every request, as the X-Ray SDK (or Lambda's recursion detection) does. */
function tracedClient(dialect: 'json' | 'query'): SQS {
  const client = dialect === 'json' ? jsonClient() : queryClient()
  client.middlewareStack.add((next) => async (args) => {
    (args.request as { headers: Record<string, string> }).headers['X-Amzn-Trace-Id'] = header
    return next(args)
  }, { step: 'build' })
  return client
}

/** MD5OfMessageSystemAttributes of an AWSTraceHeader alone (docs/reference/sqs.md §b.1). */
function md5OfTraceHeader(value: string) {
  const prefixed = (text: string) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(Buffer.byteLength(text))
    return Buffer.concat([length, Buffer.from(text)])
  }
  return createHash('md5').update(prefixed('AWSTraceHeader')).update(prefixed('String')).update(Buffer.of(1)).update(prefixed(value)).digest('hex')
}

const queueTypes = [
  { type: 'standard', fifo: false },
  { type: 'FIFO', fifo: true },
]

describe.each(clients)('The X-Amzn-Trace-Id header over $name', ({ client, dialect }) => {
  const traced = tracedClient(dialect)

  describe.each(queueTypes)('on a $type queue', ({ fifo }) => {
    const newQueue = async () => (await client.createQueue({
      QueueName: uniqueQueueName('trace', fifo), Attributes: fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {},
    })).QueueUrl!
    const group = fifo ? { MessageGroupId: 'g' } : {}
    const receiveAll = async (QueueUrl: string, AttributeNames: string[]) =>
      (await client.receiveMessage({ QueueUrl, AttributeNames: AttributeNames as never, MaxNumberOfMessages: 10, VisibilityTimeout: 0 })).Messages ?? []

    it('comes back as the AWSTraceHeader of a SendMessage’s message, when asked for', async () => {
      const QueueUrl = await newQueue()
      await traced.sendMessage({ QueueUrl, MessageBody: 'traced', ...group })
      expect((await receiveAll(QueueUrl, ['AWSTraceHeader']))[0]!.Attributes).toEqual({ AWSTraceHeader: header })
      expect((await receiveAll(QueueUrl, ['All']))[0]!.Attributes!.AWSTraceHeader).toBe(header)
      expect((await receiveAll(QueueUrl, []))[0]).not.toHaveProperty('Attributes')
    })

    it('reaches every entry of a SendMessageBatch, except one naming its own AWSTraceHeader, which wins', async () => {
      const QueueUrl = await newQueue()
      const { Successful } = await traced.sendMessageBatch({ QueueUrl, Entries: [
        { Id: 'header', MessageBody: 'header', ...group },
        { Id: 'own', MessageBody: 'own', ...group, MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: own } } },
      ] })
      expect(Successful!.find((s) => s.Id === 'own')!.MD5OfMessageSystemAttributes).toBe(md5OfTraceHeader(own))
      const messages = await receiveAll(QueueUrl, ['AWSTraceHeader'])
      expect(Object.fromEntries(messages.map((m) => [m.Body, m.Attributes!.AWSTraceHeader]))).toEqual({ header, own })
    })
  })
})
