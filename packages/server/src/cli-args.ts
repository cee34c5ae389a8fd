/** @module local/cli-args — the `dqs` command's flags: each sets the environment variable of the same meaning. */
import { parseArgs } from 'node:util'

/** Flags that stand for an environment variable (README "Configuration"); a flag wins over the variable. */
const settings = {
  port: { variable: 'DQS_PORT', value: '<port>', help: 'port to serve on; 0 = any free port (default 9324)' },
  host: { variable: 'DQS_HOST', value: '<host>', help: 'interface to bind (default 127.0.0.1)' },
  'data-dir': { variable: 'DQS_DATA_DIR', value: '<dir>', help: 'where the embedded DynamoDB Local keeps its data (default ./.dqs)' },
  'dynamodb-endpoint': { variable: 'DQS_DYNAMODB_ENDPOINT', value: '<url>', help: 'use this DynamoDB instead of embedding one' },
  config: { variable: 'DQS_CONFIG', value: '<file>', help: 'queues to create or update at start (README "Queues file")' },
} as const

export const usage = `Usage: dqs [options]

Serves the Amazon SQS API on DynamoDB: an embedded DynamoDB Local (needs Java 17+) unless --dynamodb-endpoint is given.

Options:
${Object.entries(settings).map(([flag, s]) => `  ${`--${flag} ${s.value}`.padEnd(28)}${s.help} [${s.variable}]`).join('\n')}
  --in-memory                 keep nothing: DynamoDB Local runs in memory
  -h, --help                  show this help

Other settings are environment variables: see the README's "Configuration".`

export type CliArgs = { help: true } | { help: false; inMemory: boolean; env: Record<string, string> }

/** Not a flag `dqs` knows, or a flag without its value: exit code 2, as usage errors get. */
export class UsageError extends Error {}

/** The flags of `argv` (without node and the script), as the environment variables they set. */
export function parseCliArgs(argv: string[]): CliArgs {
  let values: Record<string, string | boolean | undefined>
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(Object.keys(settings).map((flag) => [flag, { type: 'string' as const }])),
        'in-memory': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    // node's first line names the flag ("Unknown option '--prot'"); later lines suggest node's own syntax
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (dqs --help lists the options)`)
  }
  if (values.help) return { help: true }
  const env: Record<string, string> = {}
  for (const [flag, { variable }] of Object.entries(settings)) {
    const value = values[flag]
    if (typeof value === 'string') env[variable] = value
  }
  return { help: false, inMemory: values['in-memory'] === true, env }
}
