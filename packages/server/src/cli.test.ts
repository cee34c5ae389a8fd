/** @module local/cli.test — the DynamoDB Local `dqs` starts before its configuration is validated is the one it asks for. */
import { loadConfig } from '@dqs/core/config'
import { describe, expect, it } from 'vitest'
import { likelyDynamoLocal } from './cli.js'

const endpoint = 'http://127.0.0.1:8000'

describe('the DynamoDB Local started before the configuration loads', () => {
  it('is the one the validated configuration names, when it names no DynamoDB', () => {
    const starts = [
      [{}, false, { dataDir: './.dqs' }],
      [{}, true, { dataDir: undefined }],
      [{ DQS_DATA_DIR: '/var/dqs' }, false, { dataDir: '/var/dqs' }],
      [{ DQS_DATA_DIR: '/var/dqs' }, true, { dataDir: undefined }],
    ] as const
    for (const [env, inMemory, expected] of starts) {
      expect(likelyDynamoLocal(env, inMemory)).toEqual(expected)
      const config = loadConfig(env)
      expect(config.embedded).toBe(true)
      expect(expected.dataDir).toBe(inMemory ? undefined : config.dataDir)
    }
  })

  it('is left to the validated configuration whenever a DynamoDB or DQS_EMBEDDED is named', () => {
    for (const env of [{ DQS_DYNAMODB_ENDPOINT: endpoint }, { DQS_DYNAMODB_ENDPOINT: endpoint, DQS_EMBEDDED: 'true' }, { DQS_EMBEDDED: 'false' }, { DQS_EMBEDDED: '1' }]) {
      expect(likelyDynamoLocal(env, false)).toBeUndefined()
      expect(likelyDynamoLocal(env, true)).toBeUndefined()
    }
  })
})
