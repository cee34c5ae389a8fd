/**
 * createDb's client sends data operations straight to DynamoDB's JSON protocol instead of through the SDK's
 * middleware and serde. What each operation answers, and what each failure throws, must be what the SDK's own
 * document client gives for the same command: values of every type (binaries in maps, lists and sets), pages,
 * unprocessed items, PartiQL answers with their per-statement errors, and the modeled errors storage code reads.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  BatchExecuteStatementCommand, BatchGetCommand, BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand,
  QueryCommand, ScanCommand, TransactGetCommand, TransactWriteCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addSendMiddleware, createDb, ensureTables, removeSendMiddleware, tableNames, type SendMiddleware } from '../../packages/core/src/index.js'

const endpoint = inject('dynamoEndpoint')
const direct = createDb({ endpoint, region: 'us-east-1' })
const marshallOptions = { removeUndefinedValues: true, convertClassInstanceToMap: true }
const sdk = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'dqs', secretAccessKey: 'dqs' } }),
  { marshallOptions },
)
const tables = tableNames(`dqs-direct-test-${randomBytes(4).toString('hex')}`)
const table = tables.messages

/** How many requests went the SDK's way (its `finalizeRequest` step) on the direct client. */
let throughSdk = 0
direct.middlewareStack.add((next) => async (args) => {
  throughSdk++
  return next(args)
}, { step: 'finalizeRequest', name: 'countSdkRequests' })

beforeAll(() => ensureTables(direct, tables))
afterAll(() => {
  direct.destroy()
  sdk.destroy()
})

/** Binaries as plain Uint8Arrays, the type both clients answer with. */
const bytes = (length: number) => new Uint8Array(randomBytes(length))
const item = (sk: string) => ({
  pk: 'direct', sk, n: 7, big: 2 ** 40, text: 'tëxt ✓', yes: true, nothing: null, empty: {},
  z: bytes(300), nested: { bytes: bytes(5), list: [bytes(3), 'x', 1.5, { deep: bytes(2) }] },
  strings: new Set(['a', 'b']), numbers: new Set([1, 2]), binaries: new Set([bytes(4), bytes(6)]),
})

/** An answer without its request id, which differs between any two requests. */
const answer = (output: { $metadata?: object }) => ({ ...output, $metadata: { ...output.$metadata, requestId: undefined } })

/** What each client throws for the same command (built twice: a command remembers its client's middleware). */
async function failures(command: () => { input: object }) {
  const caught = async (client: typeof sdk) => client.send(command() as never).then(() => null, (error: unknown) => error as Record<string, unknown>)
  return { ours: await caught(direct), theirs: await caught(sdk) }
}

function expectSameFailure({ ours, theirs }: { ours: Record<string, unknown> | null; theirs: Record<string, unknown> | null }) {
  expect(theirs).not.toBeNull()
  expect(ours).not.toBeNull()
  expect(ours!.constructor).toBe(theirs!.constructor)
  for (const field of ['name', 'message', '$fault', 'Item', 'CancellationReasons']) expect(ours![field], field).toEqual(theirs![field])
  expect((ours!.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe((theirs!.$metadata as { httpStatusCode?: number }).httpStatusCode)
}

describe('data operations sent directly', () => {
  it('answer as the SDK answers: items of every type, pages, batches, transactions', async () => {
    const from = throughSdk
    const items = ['a', 'b', 'c'].map(item)
    await sdk.send(new PutCommand({ TableName: table, Item: items[0] }))
    expect((await direct.send(new PutCommand({ TableName: table, Item: items[0], ReturnValues: 'ALL_OLD' }))).Attributes).toEqual(items[0])
    const written = await direct.send(new BatchWriteCommand({ RequestItems: { [table]: items.slice(1).map((Item) => ({ PutRequest: { Item } })) } }))
    expect(written.UnprocessedItems).toEqual({})

    const get = () => new GetCommand({ TableName: table, Key: { pk: 'direct', sk: 'a' }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' })
    const got = await direct.send(get())
    expect(got.Item).toEqual(items[0])
    expect(got.Item!.z).toBeInstanceOf(Uint8Array)
    expect(answer(got)).toEqual(answer(await sdk.send(get())))

    const query = () => new QueryCommand({
      TableName: table, KeyConditionExpression: 'pk = :pk AND sk > :after', ExpressionAttributeValues: { ':pk': 'direct', ':after': 'a' },
      Limit: 1, ConsistentRead: true,
    })
    const page = await direct.send(query())
    expect(page.Items).toEqual([items[1]])
    expect(page.LastEvaluatedKey).toEqual({ pk: 'direct', sk: 'b' })
    expect(answer(page)).toEqual(answer(await sdk.send(query())))
    const next = () => new QueryCommand({ ...query().input, ExclusiveStartKey: page.LastEvaluatedKey })
    expect(answer(await direct.send(next()))).toEqual(answer(await sdk.send(next())))

    const scan = () => new ScanCommand({ TableName: table, ConsistentRead: true })
    expect(answer(await direct.send(scan()))).toEqual(answer(await sdk.send(scan())))
    const batchGet = () => new BatchGetCommand({ RequestItems: { [table]: { Keys: [{ pk: 'direct', sk: 'c' }, { pk: 'direct', sk: 'none' }], ConsistentRead: true } } })
    expect(answer(await direct.send(batchGet()))).toEqual(answer(await sdk.send(batchGet())))
    const transactGet = () => new TransactGetCommand({ TransactItems: [{ Get: { TableName: table, Key: { pk: 'direct', sk: 'b' } } }] })
    expect(answer(await direct.send(transactGet()))).toEqual(answer(await sdk.send(transactGet())))

    const update = await direct.send(new UpdateCommand({
      TableName: table, Key: { pk: 'direct', sk: 'a' }, UpdateExpression: 'SET n = n + :one, z = :z', ExpressionAttributeValues: { ':one': 1, ':z': Buffer.from('new') }, // a Buffer, as message bodies are
      ReturnValues: 'ALL_NEW',
    }))
    expect(update.Attributes).toMatchObject({ n: 8, z: new Uint8Array(Buffer.from('new')) })
    await direct.send(new TransactWriteCommand({ TransactItems: [{ Delete: { TableName: table, Key: { pk: 'direct', sk: 'c' } } }] }))
    expect((await direct.send(new DeleteCommand({ TableName: table, Key: { pk: 'direct', sk: 'b' }, ReturnValues: 'ALL_OLD' }))).Attributes).toEqual(items[1])
    expect(throughSdk).toBe(from)
  })

  it('answer PartiQL batches as the SDK does, each statement its item or its error', async () => {
    const rows = [item('claimed'), item('taken')]
    const put = () => direct.send(new BatchWriteCommand({ RequestItems: { [table]: rows.map((Item) => ({ PutRequest: { Item } })) } }))
    const update = `UPDATE "${table}" SET n = ? WHERE pk = ? AND sk = ? AND n = ? RETURNING ALL NEW *`
    const statements = () => new BatchExecuteStatementCommand({
      Statements: [
        { Statement: update, Parameters: [9, 'direct', 'claimed', 7] },
        { Statement: update, Parameters: [10, 'direct', 'taken', 8], ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      ],
    })
    await put()
    const ours = await direct.send(statements())
    expect(ours.Responses?.[0]?.Item).toMatchObject({ n: 9, z: rows[0]!.z })
    expect(ours.Responses?.[1]?.Error).toMatchObject({ Code: 'ConditionalCheckFailed', Item: { n: 7, z: rows[1]!.z } })
    await put()
    expect(answer(await sdk.send(statements()))).toEqual(answer(ours))
  })

  it('throw what the SDK throws: failed conditions with the item, cancelled transactions, unknown tables, invalid requests', async () => {
    await direct.send(new PutCommand({ TableName: table, Item: item('failing') }))
    const from = throughSdk
    expectSameFailure(await failures(() => new UpdateCommand({
      TableName: table, Key: { pk: 'direct', sk: 'failing' }, UpdateExpression: 'SET n = :n', ConditionExpression: 'n = :other',
      ExpressionAttributeValues: { ':n': 1, ':other': 2 }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    })))
    expectSameFailure(await failures(() => new TransactWriteCommand({
      TransactItems: [
        { ConditionCheck: { TableName: table, Key: { pk: 'direct', sk: 'failing' }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        { Put: { TableName: table, Item: { pk: 'direct', sk: 'never' } } },
      ],
    })))
    expectSameFailure(await failures(() => new GetCommand({ TableName: `${table}-missing`, Key: { pk: 'direct', sk: 'a' } })))
    expectSameFailure(await failures(() => new GetCommand({ TableName: table, Key: { pk: 'direct' } })))
    expect(throughSdk).toBe(from)
  })

  it('run the middleware added with addSendMiddleware around each call, once, high before normal, by operation name', async () => {
    const seen: string[] = []
    const recording = (label: string): SendMiddleware => (next, context) => async (args) => {
      seen.push(`${label}>${context.commandName}`)
      const result = await next(args)
      seen.push(`${label}<${Object.keys(result.output).includes('Item')}`)
      return result
    }
    addSendMiddleware(direct, recording('normal'), { name: 'testNormal' })
    addSendMiddleware(direct, recording('high'), { name: 'testHigh', priority: 'high' })
    try {
      await direct.send(new PutCommand({ TableName: table, Item: item('wrapped') }))
      expect(seen.splice(0)).toEqual(['high>PutItemCommand', 'normal>PutItemCommand', 'normal<false', 'high<false'])
      // added again by name: replaced, not doubled
      addSendMiddleware(direct, recording('again'), { name: 'testNormal' })
      await direct.send(new GetCommand({ TableName: table, Key: { pk: 'direct', sk: 'wrapped' } }))
      expect(seen.splice(0)).toEqual(['high>GetItemCommand', 'again>GetItemCommand', 'again<true', 'high<true'])
    } finally {
      removeSendMiddleware(direct, 'testNormal')
      removeSendMiddleware(direct, 'testHigh')
    }
    await direct.send(new GetCommand({ TableName: table, Key: { pk: 'direct', sk: 'wrapped' } }))
    expect(seen).toEqual([])
  })
})
