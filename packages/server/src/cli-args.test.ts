/** @module local/cli-args.test — the dqs command's flags, as the environment variables they set. */
import { describe, expect, it } from 'vitest'
import { parseCliArgs, usage, UsageError } from './cli-args.js'

describe('dqs flags', () => {
  it('set the environment variables of the same meaning', () => {
    expect(parseCliArgs(['--port', '0', '--host=0.0.0.0', '--data-dir', 'data', '--dynamodb-endpoint', 'http://127.0.0.1:8000', '--config', 'dqs.json', '--in-memory'])).toEqual({
      help: false,
      inMemory: true,
      env: { DQS_PORT: '0', DQS_HOST: '0.0.0.0', DQS_DATA_DIR: 'data', DQS_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', DQS_CONFIG: 'dqs.json' },
    })
    expect(parseCliArgs([])).toEqual({ help: false, inMemory: false, env: {} })
  })

  it('answer --help and -h with the usage, which lists every flag', () => {
    expect(parseCliArgs(['--port', '1', '-h'])).toEqual({ help: true })
    expect(parseCliArgs(['--help'])).toEqual({ help: true })
    for (const flag of ['--port', '--host', '--data-dir', '--dynamodb-endpoint', '--config', '--in-memory', '--help']) expect(usage).toContain(flag)
  })

  it('refuse an unknown flag, a missing value and a stray argument', () => {
    expect(() => parseCliArgs(['--prot', '9000'])).toThrow(new UsageError("Unknown option '--prot' (dqs --help lists the options)"))
    expect(() => parseCliArgs(['--port'])).toThrow(UsageError)
    expect(() => parseCliArgs(['9000'])).toThrow(UsageError)
  })
})
