/** Real, unmodified SQS clients pointed at the test server: the current SDK (JSON 1.0) and 3.445.0 (Query). */
import { SQS } from '@aws-sdk/client-sqs'
import { SQS as LegacySQS } from 'sqs-legacy'
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'

export const endpoint = inject('dqsEndpoint')
export const accountId = '000000000000'
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }

export function jsonClient(options: { endpoint?: string } = {}) {
  return new SQS({ endpoint: options.endpoint ?? endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })
}

export function queryClient(options: { endpoint?: string } = {}) {
  return new LegacySQS({ endpoint: options.endpoint ?? endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }) as unknown as SQS
}

export type Dialect = 'json' | 'query'

/** Both dialects, for `describe.each(clients)`. */
export const clients = [
  { name: 'JSON 1.0', dialect: 'json' as Dialect, client: jsonClient() },
  { name: 'Query', dialect: 'query' as Dialect, client: queryClient() },
]

/**
 * What a client surfaces for an SQS error: the JSON client names modelled errors by shape and carries the
 * message; the Query client (3.445.0's model) has no message member on modelled errors, so it reads "UnknownError".
 */
export function sqsError(dialect: Dialect, expected: { name: string; status: number; message?: string; modelled?: boolean }) {
  const { name, status, message, modelled = true } = expected
  return {
    name,
    $metadata: { httpStatusCode: status },
    ...(message !== undefined && (dialect === 'json' || !modelled) ? { message } : {}),
  }
}

/** A queue name no other test uses. */
export function uniqueQueueName(prefix: string, fifo = false) {
  return `${prefix}-${randomBytes(6).toString('hex')}${fifo ? '.fifo' : ''}`
}
