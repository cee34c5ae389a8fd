/**
 * A server's start prepares its tables (storage/prepare-tables.ts): creates what is missing, upgrades older message
 * items to the ready index once, and on tables an earlier start prepared only reads two items.
 */
import { DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { DeleteCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, describe, expect, it } from 'vitest'
import { addSendMiddleware, prepareTables, type Db } from '../../packages/core/src/index.js'
import { testEngine } from '../support/engine.js'

/** The commands `db` sends from now on, in the order sent. */
function operationsOf(db: Db) {
  const sent: string[] = []
  addSendMiddleware(db, (next, context) => (args) => {
    sent.push(context.commandName ?? '?')
    return next(args)
  }, { name: 'operationLog' })
  return sent
}

const t = testEngine({ ownTables: 'prepare' })
const operations = operationsOf(t.db)

/** The operations `prepareTables` sent. */
async function prepare() {
  operations.length = 0
  await prepareTables(t.db, t.tables)
  return [...operations].sort()
}

const exists = (table: string) => t.db.send(new DescribeTableCommand({ TableName: table })).then(() => true, () => false)
const marker = { pk: 'upgrade', sk: `ready-index#${t.tables.messages}` }

afterAll(async () => {
  for (const table of Object.values(t.tables)) await t.db.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined)
})

describe('preparing the tables', { timeout: 60_000 }, () => {
  it('creates both tables the first time, and later only reads the upgrade marker and the messages table', async () => {
    expect(await prepare()).toEqual(expect.arrayContaining(['CreateTableCommand', 'CreateTableCommand', 'PutItemCommand']))
    expect(await exists(t.tables.queues)).toBe(true)
    expect(await exists(t.tables.messages)).toBe(true)
    expect(await prepare()).toEqual(['GetItemCommand', 'GetItemCommand'])
  })

  it('on a DynamoDB said to be empty, creates the tables without looking for an earlier start\'s', async () => {
    const fresh = testEngine({ ownTables: 'prepare-empty' })
    const sent = operationsOf(fresh.db)
    try {
      await prepareTables(fresh.db, fresh.tables, { empty: true })
      expect(sent).not.toContain('GetItemCommand')
      expect(sent).toEqual(expect.arrayContaining(['CreateTableCommand', 'CreateTableCommand', 'PutItemCommand']))
      expect(await exists(fresh.tables.queues) && await exists(fresh.tables.messages)).toBe(true)
    } finally {
      for (const table of Object.values(fresh.tables)) await fresh.db.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined)
    }
  })

  it('creates a table deleted by hand again', async () => {
    for (const table of [t.tables.messages, t.tables.queues]) {
      await t.db.send(new DeleteTableCommand({ TableName: table }))
      expect(await prepare()).toContain('CreateTableCommand')
      expect(await exists(table)).toBe(true)
      expect(await prepare()).toEqual(['GetItemCommand', 'GetItemCommand'])
    }
  })

  it('lists older standard messages in the ready index, once, so that receives find them', async () => {
    const queue = await t.createQueue()
    const sent = await t.send(queue, 'sent before the ready index')
    // the message item as DQS wrote it before the index existed, on tables whose upgrade has not run
    const { Items = [] } = await t.db.send(new ScanCommand({ TableName: t.tables.messages, FilterExpression: 'attribute_exists(vis)' }))
    expect(Items).toHaveLength(1)
    const key = { pk: Items[0]!.pk, sk: Items[0]!.sk }
    await t.db.send(new UpdateCommand({ TableName: t.tables.messages, Key: key, UpdateExpression: 'REMOVE rq, ready' }))
    await t.db.send(new DeleteCommand({ TableName: t.tables.queues, Key: marker }))
    expect(await t.receive(queue)).toEqual([])

    expect(await prepare()).toEqual(expect.arrayContaining(['DescribeTableCommand', 'ScanCommand', 'UpdateItemCommand', 'PutItemCommand']))
    expect((await t.receive(queue)).map((message) => message.messageId)).toEqual([sent.messageId])
    expect(await prepare()).toEqual(['GetItemCommand', 'GetItemCommand'])
  })
})
