/** @module dynamodb-idempotency-store — an IdempotencyStore in a DynamoDB table, shared by every consumer process (`@dqs/client/dynamodb`). */
import { randomUUID } from 'node:crypto'
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import type { IdempotencyRecord, IdempotencyStore } from './idempotency.js'
import { now as systemNow } from './time.js'

/** Options of {@link DynamoDBIdempotencyStore}. */
export interface DynamoDBIdempotencyStoreOptions {
  /** The table: partition key `pk` (String), Time to Live on the `ttl` attribute. */
  tableName: string
  /** Default: `new DynamoDBClient({})` (region and credentials from the environment). */
  client?: DynamoDBClient
  /** Replaces the clock, for tests. */
  now?: () => number
}

type Item = Record<string, AttributeValue>

const conditionFailed = (error: unknown) => (error as { name?: string }).name === 'ConditionalCheckFailedException'

/**
 * An {@link IdempotencyStore} in DynamoDB: one item per key, `{ pk, status, token, expiresAt, ttl, result }`. A
 * claim is a PutItem that succeeds only where no item is, or where the one there has expired: an `in-progress`
 * item expires when its lease ends (so a handler that crashed holds the key no longer than `leaseMs`), a
 * `completed` one when its TTL ends. `expiresAt` (epoch ms) decides; `ttl` (epoch seconds) only lets DynamoDB's
 * Time to Live delete the item, days late at worst, which is why it never decides. The result is kept as JSON
 * text, so it must be a JSON value and, with the rest of the item, under DynamoDB's 400 KB.
 *
 * @example
 * import { DynamoDBIdempotencyStore } from '@dqs/client/dynamodb'
 * const store = new DynamoDBIdempotencyStore({ tableName: 'idempotency' })
 * consume(payments, (message) => idempotent(store, idempotencyKey(message), () => charge(message.body)))
 */
export class DynamoDBIdempotencyStore implements IdempotencyStore {
  private readonly client: DynamoDBClient
  private readonly tableName: string
  private readonly now: () => number

  constructor(options: DynamoDBIdempotencyStoreOptions) {
    this.client = options.client ?? new DynamoDBClient({})
    this.tableName = options.tableName
    this.now = options.now ?? systemNow
  }

  /**
   * Condition: attribute_not_exists(pk) OR expiresAt <= :now. Writes an `in-progress` item under a new token.
   * A failed condition returns the item there (ReturnValuesOnConditionCheckFailure), so no second read.
   */
  async acquire(key: string, leaseMs: number): Promise<IdempotencyRecord> {
    const now = this.now()
    const token = randomUUID()
    try {
      await this.client.send(new PutItemCommand({
        TableName: this.tableName,
        Item: this.item(key, 'in-progress', token, now + leaseMs),
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
        ExpressionAttributeValues: { ':now': { N: String(now) } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }))
      return { status: 'acquired', token }
    } catch (error) {
      if (!conditionFailed(error)) throw error
      const old = (error as { Item?: Item }).Item
      // the SDK retried a put whose first answer was lost: the item in the way is this very claim
      if (old?.token?.S === token) return { status: 'acquired', token }
      if (old?.status?.S === 'completed') return { status: 'completed', result: old.result?.S === undefined ? undefined : JSON.parse(old.result.S) }
      return { status: 'in-progress' }
    }
  }

  /** Condition: #token = :token (the claim is still this one). Replaces the item with a `completed` one. */
  async complete(key: string, token: string, result: unknown, ttlMs: number): Promise<void> {
    const text = JSON.stringify(result)
    await unlessClaimLost(this.client.send(new PutItemCommand({
      TableName: this.tableName,
      Item: { ...this.item(key, 'completed', token, this.now() + ttlMs), ...(text === undefined ? {} : { result: { S: text } }) },
      ConditionExpression: '#token = :token',
      ExpressionAttributeNames: { '#token': 'token' },
      ExpressionAttributeValues: { ':token': { S: token } },
    })))
  }

  /** Condition: #token = :token. Deletes the item, so the next delivery claims the key at once. */
  async release(key: string, token: string): Promise<void> {
    await unlessClaimLost(this.client.send(new DeleteItemCommand({
      TableName: this.tableName,
      Key: { pk: { S: key } },
      ConditionExpression: '#token = :token',
      ExpressionAttributeNames: { '#token': 'token' },
      ExpressionAttributeValues: { ':token': { S: token } },
    })))
  }

  private item(key: string, status: 'in-progress' | 'completed', token: string, expiresAt: number): Item {
    return {
      pk: { S: key }, status: { S: status }, token: { S: token },
      expiresAt: { N: String(expiresAt) }, ttl: { N: String(Math.ceil(expiresAt / 1000)) },
    }
  }
}

/** Awaits a write conditioned on the token: a failed condition means another claim took over, and there is nothing to do. */
async function unlessClaimLost(write: Promise<unknown>) {
  try {
    await write
  } catch (error) {
    if (!conditionFailed(error)) throw error
  }
}
