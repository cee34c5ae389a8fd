/** @module storage/prepare-tables — the tables as this DQS needs them, at a local server's start. */
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { ensureTables, type Db } from './dynamo.js'
import { readyIndexUpgraded, upgradeToReadyIndex } from './ready-index-upgrade.js'
import type { TableNames } from './tables.js'

/**
 * Creates what is missing and upgrades older tables (`ensureTables`, `upgradeToReadyIndex`), unless an earlier start
 * did: then two reads suffice. `empty`: the DynamoDB holds nothing yet (a DynamoDB Local just started in memory), so
 * there is no earlier start to look for.
 */
export async function prepareTables(db: Db, tables: TableNames, options: { empty?: boolean } = {}) {
  if (!options.empty && (await preparedEarlier(db, tables))) return
  const created = await ensureTables(db, tables)
  await upgradeToReadyIndex(db, tables, { tableIsNew: created.has('messages') })
}

/**
 * Whether both tables exist and the ready-index upgrade has finished on them: every start since the messages table
 * gained its stream ran `ensureTables` before the upgrade, so such tables need nothing of it (a change `ensureTables`
 * would make to existing tables must name a marker of its own). On a fresh DynamoDB Local the first request of each
 * kind is the slow one: these two reads answered ~70 ms sooner than the two DescribeTable and the marker's read.
 */
async function preparedEarlier(db: Db, tables: TableNames) {
  try {
    const [upgraded] = await Promise.all([
      readyIndexUpgraded(db, tables),
      // any key: the read says only that the table is there
      db.send(new GetCommand({ TableName: tables.messages, Key: { pk: 'prepared', sk: 'prepared' } })),
    ])
    return upgraded
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false
    throw error
  }
}
