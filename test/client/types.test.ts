/**
 * The public types (`queue()`, handlers, the Lambda handler as `@types/aws-lambda` sees it, the README's examples):
 * checked by `npx tsc --noEmit -p .` (each `@ts-expect-error` fails the typecheck if the line it guards compiles),
 * plus the run-time guard for FIFO queues whose name the types cannot see and the list of what the package exports.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  consume, handleSqsEvent, idempotencyKey, idempotent, queue, type Queue, type ReceivedMessage, type SendResult,
} from '@dqs/client'
import { DynamoDBIdempotencyStore } from '@dqs/client/dynamodb'
import type { SQSBatchResponse, SQSHandler } from 'aws-lambda'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { sqsClient } from './support.js'

const Order = z.object({ id: z.string(), placedAt: z.string().transform((text) => new Date(text)) })

/** Never called: it exists for the typechecker. */
function typeChecks() {
  const client = sqsClient()

  const orders = queue('orders', { client, schema: Order })
  expectTypeOf(orders.send).parameter(0).toEqualTypeOf<{ id: string; placedAt: string }>()
  void orders.send({ id: 'o', placedAt: '2026-01-01' })
  void orders.send({ id: 'o', placedAt: '2026-01-01' }, { delaySeconds: 5, messageAttributes: { tenant: 'a', n: 1, raw: Buffer.from('x') } })
  // @ts-expect-error the body must match the schema's input
  void orders.send({ id: 1 })
  // @ts-expect-error a standard queue has no deduplication id
  void orders.send({ id: 'o', placedAt: 'x' }, { messageDeduplicationId: 'd' })
  consume(orders, (message) => {
    // consumers see the schema's output
    expectTypeOf(message.body.placedAt).toEqualTypeOf<Date>()
  })

  const fifo = queue('orders.fifo', { client, schema: Order })
  void fifo.send({ id: 'o', placedAt: 'x' }, { messageGroupId: 'g', messageDeduplicationId: 'd' })
  // @ts-expect-error a FIFO queue needs its options
  void fifo.send({ id: 'o', placedAt: 'x' })
  // @ts-expect-error without content-based deduplication, a FIFO message needs a deduplication id
  void fifo.send({ id: 'o', placedAt: 'x' }, { messageGroupId: 'g' })
  // @ts-expect-error FIFO queues take no per-message delay
  void fifo.send({ id: 'o', placedAt: 'x' }, { messageGroupId: 'g', messageDeduplicationId: 'd', delaySeconds: 1 })
  const results: Promise<SendResult[]> = fifo.sendMany([], (order) => ({ messageGroupId: order.id, messageDeduplicationId: order.id }))
  void results
  // @ts-expect-error sendMany on a FIFO queue needs options too
  void fifo.sendMany([])

  const byUrl = queue('https://sqs.eu-west-1.amazonaws.com/1/events', { client, fifo: true, contentBasedDeduplication: true })
  void byUrl.send({ anything: 'json' }, { messageGroupId: 'g' })

  const raw = queue('lines', { client, bodyFormat: 'raw' })
  // @ts-expect-error raw bodies are strings
  void raw.send({ not: 'a string' })
  consume(raw, (messages: Array<ReceivedMessage<string>>) => ({ failed: messages.slice(1) }), { batch: true })

  // a Lambda handler: what @types/aws-lambda calls an SQSHandler, answering an SQSBatchResponse
  const lambda: SQSHandler = handleSqsEvent(fifo, (message) => {
    expectTypeOf(message.body.placedAt).toEqualTypeOf<Date>()
  }, { concurrency: 5, onInvalid: (message) => void message.error })
  const response: Promise<SQSBatchResponse> = handleSqsEvent(orders, () => {})({ Records: [] })
  void lambda
  void response

  // the README's DynamoDB store and Lambda examples
  const store = new DynamoDBIdempotencyStore({ tableName: 'idempotency', client: new DynamoDBClient({}) })
  consume(orders, (message) => idempotent(store, idempotencyKey(message), () => ({ charged: message.body.id })))
  const readmeHandler: SQSHandler = handleSqsEvent(queue('orders.fifo', { schema: Order }), async (message) => {
    void message.body.placedAt.getTime()
  }, { concurrency: 5, onInvalid: (message) => void message.error })
  void readmeHandler

  // Queue names a queue's type; queues come from queue()
  const typed: Queue<{ id: string; placedAt: string }, { id: string; placedAt: Date }, false> = orders
  void typed
  // @ts-expect-error Queue is exported as a type only
  void new Queue('orders')
}

describe('queue() types', () => {
  it('are checked by tsc', () => {
    expectTypeOf(typeChecks).toBeFunction()
  })

  it('the package exports only what users call', async () => {
    expect(Object.keys(await import('@dqs/client')).sort()).toEqual([
      'IdempotencyConflict', 'MemoryIdempotencyStore', 'consume', 'exponentialBackoff', 'handleSqsEvent', 'idempotencyKey',
      'idempotent', 'queue',
    ])
    expect(Object.keys(await import('@dqs/client/dynamodb'))).toEqual(['DynamoDBIdempotencyStore'])
  })

  it('refuses, before any request, a FIFO message without a group id when the name escaped the types', async () => {
    const client = sqsClient()
    const name: string = 'orders.fifo'
    const fifo = queue(name, { client })
    await expect(fifo.send({ id: 1 })).rejects.toThrow('A message to a FIFO queue needs a messageGroupId.')
  })
})
