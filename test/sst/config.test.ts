/** sst.config.ts run against stand-ins for SST's globals that record every resource it declares. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { linkedSecrets } from '../../functions/secrets.js'
import { limits, loadConfig, onAws, tableDefinitions, tableNamesOf } from '../../packages/core/src/index.js'
import { readDockerfile } from '../support/dockerfile.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

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

/** The deploy-time variables sst.config.ts reads (docs/deploy.md); unset unless a test gives them. */
const deployVariables = ['DQS_API', 'DQS_CORS_ORIGINS', 'DQS_MAX_WAIT_SECONDS', 'DQS_API_CONCURRENCY', 'DQS_DOMAIN']

/** Runs the config as `sst deploy` would with these deploy-time variables set; answers what it declared. */
async function evaluate(env: Record<string, string | undefined> = {}) {
  const given = { ...Object.fromEntries(deployVariables.map((name) => [name, undefined])), ...env }
  const saved = Object.fromEntries(Object.keys(given).map((name) => [name, process.env[name]]))
  const assign = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) if (value === undefined) delete process.env[name]; else process.env[name] = value
  }
  const before = declared
  const recorded: Declared[] = (declared = [])
  assign(given)
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
        Vpc: component('Vpc', ['id']),
        Cluster: component('Cluster', []),
        Service: component('Service', ['url']),
      },
    },
    aws: { ssm: { Parameter: component('SsmParameter', ['arn', 'name', 'version']) } },
  })
  config = (await import('../../sst.config.js')).default as unknown as App
  // what the tests below look at: a deploy with no deploy-time variables
  ;({ declared, outputs } = await evaluate())
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
    expect(api.args.environment).toEqual({
      DQS_QUEUES_TABLE: output('Queues.name'), DQS_MESSAGES_TABLE: output('Messages.name'), DQS_REQUIRE_AUTH: 'true', DQS_MAX_WAIT_SECONDS: '5',
    })
    expect(outputs).toEqual({ endpoint: output('Api.url') })
    // no container service on a Lambda stage
    expect(declared.map((d) => d.kind)).not.toEqual(expect.arrayContaining(['Service']))
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

describe('sst.config.ts, the Lambda API\'s limits', () => {
  it('caps its long polls at 5 s unless DQS_MAX_WAIT_SECONDS says otherwise, a setting DQS reads as meant', async () => {
    const maxWait = async (env: Record<string, string>) => {
      const { DQS_MAX_WAIT_SECONDS } = (await evaluate(env)).declared.find((d) => d.name === 'Api')!.args.environment
      return loadConfig({ DQS_MAX_WAIT_SECONDS }).maxWaitSeconds
    }
    expect(await maxWait({})).toBe(5)
    expect(await maxWait({ DQS_MAX_WAIT_SECONDS: '20' })).toBe(20)
    expect(await maxWait({ DQS_MAX_WAIT_SECONDS: '0' })).toBe(0)
    for (const wrong of ['21', '-1', '2.5', 'soon']) {
      await expect(evaluate({ DQS_MAX_WAIT_SECONDS: wrong }), wrong).rejects.toThrow(`DQS_MAX_WAIT_SECONDS must be a whole number from 0 to 20, not "${wrong}"`)
    }
    // the function refuses at its cold start what the deploy refuses
    expect(() => loadConfig({ DQS_MAX_WAIT_SECONDS: '21' })).toThrow('DQS_MAX_WAIT_SECONDS')
  })

  it('reserves DQS_API_CONCURRENCY instances for the function, which is then its limit, and none unless set', async () => {
    expect(one('Function', 'Api').args).not.toHaveProperty('concurrency')
    const { declared } = await evaluate({ DQS_API_CONCURRENCY: '50' })
    expect(declared.find((d) => d.name === 'Api')!.args.concurrency).toEqual({ reserved: 50 })
    // 0 would keep the function from running at all
    for (const wrong of ['0', 'many', '1.5']) await expect(evaluate({ DQS_API_CONCURRENCY: wrong }), wrong).rejects.toThrow('DQS_API_CONCURRENCY must be a whole number from 1')
  })
})

describe('sst.config.ts with DQS_API=service', () => {
  let service: Declared[]
  let serviceOutputs: Record<string, unknown>
  beforeAll(async () => ({ declared: service, outputs: serviceOutputs } = await evaluate({ DQS_API: 'service' })))
  const of = (kind: string) => service.filter((d) => d.kind === kind)
  const api = () => of('Service')[0]!
  /** The SSM parameter whose ARN this is. */
  const parameterOf = (arn: unknown) => of('SsmParameter').find((p) => String(arn) === String(output(`${p.name}.arn`)))!
  const image = readDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8')).at(-1)!

  it('serves the API from the Dockerfile\'s image on arm64 Fargate in a cluster in its own VPC, with no NAT, instead of the function', () => {
    expect(of('Function')).toEqual([])
    expect(of('Vpc').map((v) => [v.name, v.args])).toEqual([['Vpc', {}]])
    expect(of('Cluster').map((c) => [c.name, c.args.vpc])).toEqual([['Cluster', of('Vpc')[0]!.instance]])
    expect(of('Service').map((s) => s.name)).toEqual(['ApiService'])
    expect(api().args).toMatchObject({ cluster: of('Cluster')[0]!.instance, architecture: 'arm64', image: { context: '.', dockerfile: 'Dockerfile' } })
    expect(existsSync(join(root, api().args.image.context, api().args.image.dockerfile))).toBe(true)
    // many tasks, none holding state: every instance serves every queue
    expect(api().args.scaling.min).toBeGreaterThanOrEqual(2)
    expect(api().args.scaling.max).toBeGreaterThan(api().args.scaling.min)
    expect(serviceOutputs).toEqual({ endpoint: output('ApiService.url') })
  })

  it('shares the tables, the counts function and the sweeper with the Lambda deployment', () => {
    const kinds = service.map((d) => d.kind).sort()
    expect(kinds).toEqual(['Cluster', 'CronV2', 'Dynamo', 'Dynamo', 'DynamoSubscriber', 'Secret', 'Secret', 'Service', 'SsmParameter', 'SsmParameter', 'Vpc'])
    const tables = of('Dynamo').map((t) => t.instance)
    expect(api().args.link).toEqual(tables)
    expect(api().args).not.toHaveProperty('permissions')
    expect(service.find((d) => d.kind === 'DynamoSubscriber')!.args.subscriber.handler).toBe('functions/counts.handler')
    expect(service.find((d) => d.kind === 'CronV2')!.args.function.handler).toBe('functions/sweeper.handler')
  })

  it('forwards the load balancer to the port the image serves on, checks /health, and drains a stopping task for longer than a long poll', () => {
    const port = `${image.env.DQS_PORT}/http`
    expect(image.expose).toEqual([image.env.DQS_PORT])
    expect(api().args.loadBalancer.rules).toEqual([{ listen: '80/http', forward: port }])
    expect(api().args.loadBalancer).not.toHaveProperty('domain')
    expect(api().args.loadBalancer.health).toEqual({ [port]: { path: '/health', interval: '10 seconds', healthyThreshold: 2 } })
    const target: Record<string, number> = {}
    api().args.transform.target(target)
    expect(target.deregistrationDelay).toBeGreaterThan(limits.maxWaitTimeSeconds)
  })

  it('serves HTTPS on DQS_DOMAIN, redirecting HTTP there', async () => {
    const { declared } = await evaluate({ DQS_API: 'service', DQS_DOMAIN: 'sqs.example.com' })
    const { loadBalancer } = declared.find((d) => d.kind === 'Service')!.args
    expect(loadBalancer.domain).toBe('sqs.example.com')
    expect(loadBalancer.rules).toEqual([{ listen: '80/http', redirect: '443/https' }, { listen: '443/https', forward: `${image.env.DQS_PORT}/http` }])
  })

  it('hands the container its secrets from SSM SecureString parameters, never in its task definition', () => {
    const secrets = only('Secret').map((s) => s.name)
    const parameters = of('SsmParameter')
    // each secret's value goes to one parameter, and nowhere else
    expect(parameters.map((p) => [p.args.type, secretsIn(p.args.value)])).toEqual(secrets.map((name) => ['SecureString', [name]]))
    expect(secretsIn(service.filter((d) => d.kind !== 'SsmParameter').map((d) => d.args))).toEqual([])
    // the container reads them as the settings functions/secrets.ts gives the Lambda API, from the parameters' ARNs
    const ssm = api().args.ssm
    expect(Object.keys(ssm).sort()).toEqual(Object.values(linkedSecrets).sort())
    for (const [name, setting] of Object.entries(linkedSecrets)) expect(secretsIn(parameterOf(ssm[setting]).args.value), setting).toEqual([name])
    // not linked either: SST would write a linked secret's value into the environment (SST_RESOURCE_<name>)
    expect(api().args.link.filter((l: object) => l instanceof Secret)).toEqual([])
    expect(Object.keys(api().args.environment)).not.toEqual(expect.arrayContaining(['DQS_CREDENTIALS']))
    expect(Object.keys(api().args.environment)).not.toEqual(expect.arrayContaining(['DQS_RECEIPT_KEY']))
  })

  it('replaces the tasks when a secret changes (they read it at start), by naming its parameter\'s version', () => {
    const versions = Object.fromEntries(Object.entries(api().args.environment).filter(([name]) => name.endsWith('_VERSION')))
    expect(versions).toEqual(Object.fromEntries(Object.entries(api().args.ssm).map(([setting, arn]) => [`${setting}_VERSION`, output(`${parameterOf(arn).name}.version.apply`)])))
  })

  it('gives the container settings DQS reads as meant: the tables, signatures required, the task\'s region', () => {
    const { DQS_QUEUES_TABLE, DQS_MESSAGES_TABLE, ...rest } = api().args.environment
    expect([DQS_QUEUES_TABLE, DQS_MESSAGES_TABLE]).toEqual([output('Queues.name'), output('Messages.name')])
    const config = loadConfig(onAws({
      ...image.env, ...rest, AWS_REGION: 'eu-west-1', DQS_QUEUES_TABLE: 'dqs-production-QueuesTable-abc', DQS_MESSAGES_TABLE: 'dqs-production-MessagesTable-def',
      DQS_CREDENTIALS: 'AKIDEXAMPLE:example-secret:123456789012', DQS_RECEIPT_KEY: 'deployed-receipt-key',
    }))
    expect(config).toMatchObject({ requireAuth: true, region: 'eu-west-1', embedded: false, host: '0.0.0.0', followStream: false, tailStream: false, moveTasks: false })
    expect(tableNamesOf(config)).toEqual({ queues: 'dqs-production-QueuesTable-abc', messages: 'dqs-production-MessagesTable-def' })
    expect(config.maxWaitSeconds).toBe(limits.maxWaitTimeSeconds)
  })
})

describe('sst.config.ts\'s deploy-time variables', () => {
  it('refuses a DQS_API other than lambda or service, and a setting of the other front', async () => {
    await expect(evaluate({ DQS_API: 'fargate' })).rejects.toThrow('DQS_API must be lambda or service, not "fargate"')
    await expect(evaluate({ DQS_API: 'service', DQS_CORS_ORIGINS: 'https://console.example.com' })).rejects.toThrow('DQS_CORS_ORIGINS applies to DQS_API=lambda only')
    await expect(evaluate({ DQS_API: 'service', DQS_API_CONCURRENCY: '10' })).rejects.toThrow('DQS_API_CONCURRENCY applies to DQS_API=lambda only')
    await expect(evaluate({ DQS_DOMAIN: 'sqs.example.com' })).rejects.toThrow('DQS_DOMAIN applies to DQS_API=service only')
    expect((await evaluate({ DQS_API: 'lambda' })).outputs).toEqual({ endpoint: output('Api.url') })
  })
})
