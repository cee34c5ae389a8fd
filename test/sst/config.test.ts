/** sst.config.ts run against stand-ins for SST's globals that record every resource it declares. */
import { beforeAll, describe, expect, it } from 'vitest'
import { linkedSecrets } from '../../functions/secrets.js'
import { limits, loadConfig, tableDefinitions, tableNamesOf } from '../../packages/core/src/index.js'

interface Declared {
  kind: string
  name: string
  args: Record<string, any>
  instance: object
}

let declared: Declared[] = []

/**
 * Stands for a Pulumi output: its label names the resource property it is (only its identity matters). Whatever
 * is made from it, by `apply`, interpolation or JSON, keeps the label, so a secret cannot pass unseen.
 */
class Output {
  constructor(readonly output: string) {}
  apply(_fn: unknown) { return new Output(`${this.output}.apply`) }
  toString() { return `<${this.output}>` }
  toJSON() { return this.toString() }
}
const output = (label: string) => new Output(label)

function component(kind: string, outputs: string[]) {
  return class {
    constructor(readonly componentName: string, args: Record<string, any> = {}) {
      for (const property of outputs) Object.assign(this, { [property]: output(`${componentName}.${property}`) })
      declared.push({ kind, name: componentName, args, instance: this })
    }
  }
}

/** SST refuses a subscription to a table without a stream; the stand-in does too. */
class Dynamo extends component('Dynamo', ['name', 'arn']) {
  subscribe(name: string, subscriber: Record<string, any>, args: Record<string, any> = {}) {
    const table = declared.find((d) => d.instance === this)!
    if (!table.args.stream) throw new Error(`Cannot subscribe to "${this.componentName}" because stream is not enabled.`)
    declared.push({ kind: 'DynamoSubscriber', name: `${this.componentName}Subscriber${name}`, args: { subscriber, ...args }, instance: {} })
  }
}

/** As SST's: the value is an output; linked, it reaches the function only inside the encrypted bundle. */
class Secret {
  readonly value: Output
  constructor(readonly name: string, readonly placeholder?: string) {
    this.value = output(`${name}.value`)
    declared.push({ kind: 'Secret', name, args: { placeholder }, instance: this })
  }
}

type App = { app(input: { stage: string }): Record<string, unknown>; run(): Promise<Record<string, unknown>> }
let config: App
let outputs: Record<string, unknown>

/** Runs the config as `sst deploy` would with these deploy-time variables set; answers what it declared. */
async function evaluate(env: Record<string, string | undefined> = {}) {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]))
  const assign = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) if (value === undefined) delete process.env[name]; else process.env[name] = value
  }
  const before = declared
  const recorded: Declared[] = (declared = [])
  assign(env)
  try {
    return { declared: recorded, outputs: await config.run() }
  } finally {
    assign(saved)
    declared = before
  }
}

beforeAll(async () => {
  Object.assign(globalThis, {
    $config: (input: App) => input,
    $app: { name: 'dqs', stage: 'production' },
    // only current components: the deprecated sst.aws.Cron is absent, so using it fails here
    sst: {
      Secret,
      aws: {
        Dynamo,
        Function: component('Function', ['name', 'arn', 'url']),
        CronV2: component('CronV2', []),
      },
    },
  })
  config = (await import('../../sst.config.js')).default as unknown as App
  // what the tests below look at: a deploy with no deploy-time variables
  ;({ declared, outputs } = await evaluate({ DQS_CORS_ORIGINS: undefined }))
})

const only = (kind: string) => declared.filter((d) => d.kind === kind)
const one = (kind: string, name: string) => declared.find((d) => d.kind === kind && d.name === name)!

/** Every Lambda function the config declares, by name, with the arguments SST builds it from. */
const functions = () => [
  ...only('Function').map((f) => [f.name, f.args] as const),
  ...only('CronV2').map((c) => [`${c.name}Handler`, c.args.function] as const),
  ...only('DynamoSubscriber').map((s) => [s.name, s.args.subscriber] as const),
]

/** The secrets whose value is, or was made into, something in `value`. */
function secretsIn(value: unknown, seen = new Set<unknown>()): string[] {
  const secrets = only('Secret').map((s) => s.name)
  if (value instanceof Output || typeof value === 'string') return secrets.filter((name) => String(value).includes(`${name}.value`))
  if (!value || typeof value !== 'object' || seen.has(value)) return []
  seen.add(value)
  return Object.values(value).flatMap((v) => secretsIn(v, seen))
}
const seconds = (duration: string) => Number(duration.split(' ')[0]) * (duration.includes('minute') ? 60 : 1)

describe('sst.config.ts', () => {
  it('keeps production tables when the app is removed, and removes everything of other stages', () => {
    expect(config.app({ stage: 'production' })).toEqual({ name: 'dqs', home: 'aws', removal: 'retain' })
    expect(config.app({ stage: 'dev' })).toMatchObject({ removal: 'remove' })
  })

  it('declares exactly the tables of storage/tables.ts: keys, the ready index, TTL, the stream', () => {
    const tables = only('Dynamo')
    expect(tables.map((t) => t.name)).toEqual(['Queues', 'Messages'])
    expect(tables.map(({ args: { fields, primaryIndex, globalIndexes, ttl, stream } }) => ({ fields, primaryIndex, globalIndexes, ttl, stream })))
      .toEqual(tableDefinitions.map(({ fields, primaryIndex, globalIndexes, ttl, stream }) => ({ fields, primaryIndex, globalIndexes, ttl, stream })))
    expect(one('Dynamo', 'Messages').args.stream).toBe('new-and-old-images')
    expect(one('Dynamo', 'Messages').args.globalIndexes).toEqual({ ready: { hashKey: 'rq', rangeKey: 'ready', projection: 'keys-only' } })
  })

  it('makes every table on-demand with point-in-time recovery', () => {
    for (const table of only('Dynamo')) {
      const args: Record<string, unknown> = {}
      table.args.transform.table(args)
      expect(args).toEqual({ billingMode: 'PAY_PER_REQUEST', pointInTimeRecovery: { enabled: true } })
    }
  })

  it('asks for the credentials and the receipt-handle key as secrets, with no default value', () => {
    expect(only('Secret').map((s) => [s.name, s.args.placeholder])).toEqual([['DqsCredentials', undefined], ['DqsReceiptKey', undefined]])
  })

  it('serves the API from functions/api.handler behind an unauthenticated function URL, SigV4 required by DQS', () => {
    const api = one('Function', 'Api')
    expect(api.args).toMatchObject({ handler: 'functions/api.handler', url: { authorization: 'none' }, runtime: 'nodejs22.x' })
    expect(seconds(api.args.timeout)).toBeGreaterThan(limits.maxWaitTimeSeconds)
    expect(api.args.environment).toEqual({ DQS_QUEUES_TABLE: output('Queues.name'), DQS_MESSAGES_TABLE: output('Messages.name'), DQS_REQUIRE_AUTH: 'true' })
    expect(outputs).toEqual({ endpoint: output('Api.url') })
  })

  it('links the two secrets to the API function, the only one that reads them, and to no other', () => {
    const [credentials, receiptKey] = only('Secret').map((s) => s.instance)
    expect(one('Function', 'Api').args.link).toEqual(expect.arrayContaining([credentials, receiptKey]))
    // the names functions/secrets.ts reads are exactly the secrets linked
    const linked = one('Function', 'Api').args.link.filter((l: object) => l instanceof Secret).map((s: Secret) => s.name)
    expect(linked).toEqual(Object.keys(linkedSecrets))
    for (const [name, args] of functions()) if (name !== 'Api') expect(args.link.filter((l: object) => l instanceof Secret), name).toEqual([])
  })

  it('puts no secret value in any function\'s environment, or anywhere else but its links', () => {
    expect(functions().map(([name]) => name).sort()).toEqual(['Api', 'MessagesSubscriberCounts', 'SweeperHandler'])
    for (const [name, { link, ...args }] of functions()) {
      expect(secretsIn(args.environment), `${name}'s environment`).toEqual([])
      expect(secretsIn(args), name).toEqual([])
      expect(Object.keys(args.environment ?? {}), name).not.toEqual(expect.arrayContaining(['DQS_CREDENTIALS']))
      expect(Object.keys(args.environment ?? {}), name).not.toEqual(expect.arrayContaining(['DQS_RECEIPT_KEY']))
    }
    // the scan sees a secret however it is passed: as is, derived, or interpolated into a string
    const value = (only('Secret')[0]!.instance as Secret).value
    expect(secretsIn({ A: value, B: value.apply(String), C: `x${value}` })).toEqual(['DqsCredentials', 'DqsCredentials', 'DqsCredentials'])
  })

  it('gives the function URL no CORS unless DQS_CORS_ORIGINS names origins at deploy time', async () => {
    expect(one('Function', 'Api').args.url.cors).toBe(false)
    for (const origins of ['', ' , ']) {
      const { declared } = await evaluate({ DQS_CORS_ORIGINS: origins })
      expect(declared.find((d) => d.name === 'Api')!.args.url.cors, JSON.stringify(origins)).toBe(false)
    }
    const { declared: opened } = await evaluate({ DQS_CORS_ORIGINS: 'https://console.example.com, https://ops.example.com' })
    const cors = opened.find((d) => d.name === 'Api')!.args.url.cors
    expect(cors).toMatchObject({ allowOrigins: ['https://console.example.com', 'https://ops.example.com'], allowMethods: ['GET', 'POST'], maxAge: '1 hour' })
    // SST merges these over its defaults (every header): Authorization has to be named, as the SDK's others are
    expect(cors.allowHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-amz-date', 'x-amz-target', 'x-amz-security-token']))
    expect(cors.exposeHeaders).toEqual(['x-amzn-requestid', 'x-amzn-query-error'])
    expect(cors).not.toHaveProperty('allowCredentials')
  })

  it('runs the sweeper from functions/sweeper.handler every 5 minutes on EventBridge Scheduler (CronV2), without the secrets', () => {
    const cron = one('CronV2', 'Sweeper')
    expect(cron.args).toMatchObject({ schedule: 'rate(5 minutes)', function: { handler: 'functions/sweeper.handler' } })
    expect(cron.args.function.environment).toEqual({ DQS_QUEUES_TABLE: output('Queues.name'), DQS_MESSAGES_TABLE: output('Messages.name') })
    expect(declared.map((d) => d.kind)).not.toContain('Cron')
  })

  it('keeps the counts from the messages stream with functions/counts.handler, from the oldest record, in batches', () => {
    const subscription = one('DynamoSubscriber', 'MessagesSubscriberCounts')
    expect(subscription.args.subscriber).toMatchObject({ handler: 'functions/counts.handler', runtime: 'nodejs22.x' })
    expect(subscription.args.subscriber.environment).toEqual({ DQS_QUEUES_TABLE: output('Queues.name'), DQS_MESSAGES_TABLE: output('Messages.name') })
    const mapping: Record<string, unknown> = {}
    subscription.args.transform.eventSourceMapping(mapping)
    expect(mapping).toEqual({ batchSize: 1000, maximumBatchingWindowInSeconds: 1, startingPosition: 'TRIM_HORIZON' })
  })

  it('grants the functions the two tables through links, and no other permission', () => {
    const tables = only('Dynamo').map((t) => t.instance)
    for (const [, args] of functions()) {
      expect(args.link.filter((l: object) => !(l instanceof Secret))).toEqual(tables)
      expect(args.link[0]).toBe(tables[0])
      expect(args).not.toHaveProperty('permissions')
      expect(args).not.toHaveProperty('policies')
      expect(args).not.toHaveProperty('role')
    }
    expect(declared.map((d) => d.kind).sort()).toEqual(['CronV2', 'Dynamo', 'Dynamo', 'DynamoSubscriber', 'Function', 'Secret', 'Secret'])
  })

  it('hands the functions settings that DQS reads as meant: explicit table names, auth required', () => {
    const config = loadConfig({
      DQS_QUEUES_TABLE: 'dqs-production-QueuesTable-abc', DQS_MESSAGES_TABLE: 'dqs-production-MessagesTable-def',
      DQS_REQUIRE_AUTH: 'true', DQS_RECEIPT_KEY: 'deployed-receipt-key',
    })
    expect(tableNamesOf(config)).toEqual({ queues: 'dqs-production-QueuesTable-abc', messages: 'dqs-production-MessagesTable-def' })
    expect(config.requireAuth).toBe(true)
    expect(config.receiptKey).toBe('deployed-receipt-key')
    expect(tableNamesOf(loadConfig({}))).toEqual({ queues: 'dqs-queues', messages: 'dqs-messages' })
  })

  it('names handlers that exist, the API\'s starting with the secrets linked to it and nothing else', async () => {
    // SST's runtime also reads links from SST_RESOURCE_<name> variables (JSON); give the API exactly its links
    const samples: Record<string, string> = { DqsCredentials: 'AKIDEXAMPLE:example-secret:123456789012', DqsReceiptKey: 'example-receipt-key' }
    const linked = one('Function', 'Api').args.link.filter((l: object) => l instanceof Secret) as Secret[]
    Object.assign(process.env, {
      SST_RESOURCE_App: JSON.stringify({ name: 'dqs', stage: 'production' }),
      ...Object.fromEntries(linked.map((s) => [`SST_RESOURCE_${s.name}`, JSON.stringify({ type: 'sst.sst.Secret', value: samples[s.name] })])),
    })
    expect(typeof (await import('../../functions/api.js')).handler).toBe('function')
    expect(typeof (await import('../../functions/sweeper.js')).handler).toBe('function')
    expect(typeof (await import('../../functions/counts.js')).handler).toBe('function')
  })
})
