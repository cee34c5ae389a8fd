/** What one message costs in DynamoDB write units through the deployed handler (the figures docs/deploy.md quotes). */
import { SQS } from '@aws-sdk/client-sqs'
import { handle } from 'hono/aws-lambda'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createRuntime } from '../../packages/api/src/index.js'
import { addSendMiddleware, createDb, loadConfig } from '../../packages/core/src/index.js'
import { claimBatchBill } from '../../bench/support/item-size.js'
import { uniqueQueueName } from '../support/clients.js'
import { functionUrlHost, lambdaTransport, type LambdaHandler } from './transport.js'

let writeUnits = 0
let client: SQS

beforeAll(() => {
  const db = createDb({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1' })
  // every request asks DynamoDB what it consumed (what AWS bills); DynamoDB Local reports only the total, so the
  // command says whether those were write units. It reports nothing for a receive's claims (PartiQL): those are
  // billed as AWS bills them, from the items the statements answer
  addSendMiddleware(db, (next, context) => async (args) => {
    ;(args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL'
    const result = await next(args)
    if (context.commandName === 'BatchExecuteStatementCommand') {
      const bill = claimBatchBill((result.output as { Responses?: Parameters<typeof claimBatchBill>[0] }).Responses)
      writeUnits += bill.appliedWru + bill.failedWru
      return result
    }
    const consumed = (result.output as { ConsumedCapacity?: object | object[] }).ConsumedCapacity ?? []
    const units = ([consumed].flat() as Array<{ CapacityUnits?: number }>).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0)
    if (/Put|Update|Delete|Write/.test(context.commandName ?? '')) writeUnits += units
    return result
  }, { name: 'consumedCapacity' })
  const config = loadConfig({ DQS_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), DQS_TABLE_PREFIX: inject('tablePrefix') })
  const handler = handle(createRuntime(config, { db }).app) as unknown as LambdaHandler
  client = new SQS({ endpoint: `https://${functionUrlHost}`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1, requestHandler: lambdaTransport(handler) })
})

/** Write units for send + receive + delete of one message (a long poll, so no background recount is triggered). */
async function writeUnitsFor(body: string) {
  const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('cost') })
  writeUnits = 0
  await client.sendMessage({ QueueUrl, MessageBody: body })
  const { Messages } = await client.receiveMessage({ QueueUrl, WaitTimeSeconds: 1 })
  await client.deleteMessage({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle! })
  return writeUnits
}

describe('DynamoDB write units per message (send + receive + delete)', () => {
  it('are 10 for a 1 KiB body that does not deflate under 1 KB (6 for the item, 4 for its `ready` index entry)', async () => {
    const noise = Array.from({ length: 1024 }, () => String.fromCharCode(33 + Math.floor(Math.random() * 94))).join('')
    expect(await writeUnitsFor(noise)).toBe(10)
  })

  it('are 7 for a 1 KiB body that deflates under 1 KB (typical JSON; 4 of them for the `ready` index entry)', async () => {
    const json = JSON.stringify({ orders: Array.from({ length: 40 }, (_, i) => ({ id: `order-${i}`, status: 'pending', qty: i })) }).slice(0, 1024)
    expect(json.length).toBe(1024)
    expect(await writeUnitsFor(json)).toBe(7)
  })
})
