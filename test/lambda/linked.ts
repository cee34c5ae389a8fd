/** What SST puts in a deployed function for its links: the values encrypted into the bundle's `resource.enc`, the key in the environment. */
import { createCipheriv, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, inject, vi } from 'vitest'
import type { LambdaHandler } from './transport.js'

const written: string[] = []
afterAll(() => {
  for (const dir of written.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/**
 * Writes `resources` (link name → properties, e.g. `{ DqsCredentials: { value: '…' } }`) as SST does, AES-256-GCM
 * with a zero nonce and the tag last, and answers the environment variables that point a function at it. The
 * values themselves are in no environment variable.
 */
export function linkedResourceEnv(resources: Record<string, Record<string, unknown>>): Record<string, string> {
  const key = randomBytes(32)
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.alloc(12, 0))
  const sealed = Buffer.concat([cipher.update(JSON.stringify(resources)), cipher.final(), cipher.getAuthTag()])
  const dir = mkdtempSync(join(tmpdir(), 'dqs-bundle-'))
  written.push(dir)
  const file = join(dir, 'resource.enc')
  writeFileSync(file, sealed)
  return {
    SST_RESOURCE_App: JSON.stringify({ name: 'dqs', stage: 'test' }),
    SST_KEY: key.toString('base64'),
    SST_KEY_FILE: file,
  }
}

/** The secrets functions/api.ts reads, linked as sst.config.ts links them to the `Api` function. */
export function linkedSecretsEnv(secrets: { credentials: string; receiptKey: string }): Record<string, string> {
  return linkedResourceEnv({ DqsCredentials: { value: secrets.credentials }, DqsReceiptKey: { value: secrets.receiptKey } })
}

/** What the deployed Api function's environment holds, pointed at the run's tables: signatures required, the secrets linked. */
export function deployedApiEnv(secrets: { credentials: string; receiptKey: string }): Record<string, string> {
  return {
    DQS_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    DQS_TABLE_PREFIX: inject('tablePrefix'),
    DQS_REQUIRE_AUTH: 'true',
    ...linkedSecretsEnv(secrets),
  }
}

/**
 * functions/api.ts cold-started as deployed: the run's tables, signatures required, the secrets linked as
 * sst.config.ts links them, and `env` (other settings sst.config.ts gives it, or decoys a linked secret must win
 * over). The config is read when the module loads, so the module is loaded afresh.
 */
export async function coldStartApi(secrets: { credentials: string; receiptKey: string }, env: Record<string, string> = {}): Promise<LambdaHandler> {
  Object.assign(process.env, deployedApiEnv(secrets), env)
  vi.resetModules()
  return (await import('../../functions/api.js')).handler as unknown as LambdaHandler
}

