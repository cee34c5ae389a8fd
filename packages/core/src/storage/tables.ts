/** @module storage/tables — the DynamoDB tables, declared once for local creation and for sst.config.ts. */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb'

export interface TableDefinition {
  /** Logical name; the physical name is `<prefix>-<name>` locally and SST's own when deployed. */
  name: 'queues' | 'messages'
  fields: Record<string, 'string' | 'number'>
  primaryIndex: { hashKey: string; rangeKey: string }
  globalIndexes: Record<string, { hashKey: string; rangeKey: string; projection: 'keys-only' }>
  ttl: string
  /** DynamoDB Streams view: the messages table's changes feed the approximate counts (engine/count-changes.ts). */
  stream?: 'new-and-old-images'
}

/**
 * Everything but messages: queue items and tombstones, counts items, message move tasks, the sweeper's work and pass
 * items, the stream lease and the ready-index upgrade marker (docs/reference/dynamo-model.md §4.1 says where each
 * item's attributes are described).
 */
export const queuesTable: TableDefinition = {
  name: 'queues',
  fields: { pk: 'string', sk: 'string' },
  primaryIndex: { hashKey: 'pk', rangeKey: 'sk' },
  globalIndexes: {},
  ttl: 'ttl',
}

/**
 * Message items and their chunk items (standard and FIFO), FIFO group items, dedup and receive-attempt records. The
 * `ready` index lists each standard message by when it can be received, and each FIFO group by when its head can.
 */
export const messagesTable: TableDefinition = {
  name: 'messages',
  fields: { pk: 'string', sk: 'string', rq: 'string', ready: 'number' },
  primaryIndex: { hashKey: 'pk', rangeKey: 'sk' },
  globalIndexes: { ready: { hashKey: 'rq', rangeKey: 'ready', projection: 'keys-only' } },
  ttl: 'ttl',
  stream: 'new-and-old-images',
}

export const tableDefinitions = [queuesTable, messagesTable] as const

export interface TableNames {
  queues: string
  messages: string
}

export function tableNames(prefix: string): TableNames {
  return { queues: `${prefix}-queues`, messages: `${prefix}-messages` }
}

/** The CreateTable request for a definition: on-demand billing, as deployed. */
export function createTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  const type = (t: 'string' | 'number') => (t === 'string' ? 'S' : 'N') as 'S' | 'N'
  const indexes = Object.entries(definition.globalIndexes)
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: Object.entries(definition.fields).map(([AttributeName, t]) => ({ AttributeName, AttributeType: type(t) })),
    KeySchema: [
      { AttributeName: definition.primaryIndex.hashKey, KeyType: 'HASH' },
      { AttributeName: definition.primaryIndex.rangeKey, KeyType: 'RANGE' },
    ],
    ...(definition.stream ? { StreamSpecification: streamSpecification(definition.stream) } : {}),
    ...(indexes.length
      ? {
          GlobalSecondaryIndexes: indexes.map(([IndexName, index]) => ({
            IndexName,
            KeySchema: [
              { AttributeName: index.hashKey, KeyType: 'HASH' as const },
              { AttributeName: index.rangeKey, KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' as const },
          })),
        }
      : {}),
  }
}

export function streamSpecification(view: NonNullable<TableDefinition['stream']>) {
  return { StreamEnabled: true, StreamViewType: view.toUpperCase().replaceAll('-', '_') as 'NEW_AND_OLD_IMAGES' }
}
