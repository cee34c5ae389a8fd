/** sst.config.ts run against stand-ins for SST's globals that record every resource it declares. */
import { beforeAll, describe, expect, it } from 'vitest'
import { limits, loadConfig, tableDefinitions, tableNamesOf } from '../../packages/core/src/index.js'

interface Declared {
  kind: string
  name: string
  args: Record<string, any>
  instance: object
}

const declared: Declared[] = []
/** Stands for a Pulumi output: only its identity matters (which resource property ends up where). */
const output = (label: string) => ({ output: label })

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

class Secret {
  readonly value: object
  constructor(readonly name: string, readonly placeholder?: string) {
    this.value = output(`${name}.value`)
    declared.push({ kind: 'Secret', name, args: { placeholder }, instance: this })
  }
}

type App = { app(input: { stage: string }): Record<string, unknown>; run(): Promise<Record<string, unknown>> }
let config: App
let outputs: Record<string, unknown>

beforeAll(async () => {
  Object.assign(globalThis, {
    $config: (input: App) => input,
    $app: { name: 'dqs', stage: 'production' },
    sst: {
      Secret,
      aws: {
        Dynamo,
        Function: component('Function', ['name', 'arn', 'url']),
        Cron: component('Cron', []),
      },
    },
  })
  config = (await import('../../sst.config.js')).default as unknown as App
  outputs = await config.run()
})

const only = (kind: string) => declared.filter((d) => d.kind === kind)
const one = (kind: string, name: string) => declared.find((d) => d.kind === kind && d.name === name)!
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
      DQS_QUEUES_TABLE: output('Queues.name'),
      DQS_MESSAGES_TABLE: output('Messages.name'),
      DQS_REQUIRE_AUTH: 'true',
      DQS_CREDENTIALS: output('DqsCredentials.value'),
      DQS_RECEIPT_KEY: output('DqsReceiptKey.value'),
    })
    expect(outputs).toEqual({ endpoint: output('Api.url') })
  })

  it('runs the sweeper from functions/sweeper.handler every 5 minutes, without the secrets', () => {
    const cron = one('Cron', 'Sweeper')
    expect(cron.args).toMatchObject({ schedule: 'rate(5 minutes)', function: { handler: 'functions/sweeper.handler' } })
    expect(cron.args.function.environment).toEqual({ DQS_QUEUES_TABLE: output('Queues.name'), DQS_MESSAGES_TABLE: output('Messages.name') })
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
    for (const args of [one('Function', 'Api').args, one('Cron', 'Sweeper').args.function, one('DynamoSubscriber', 'MessagesSubscriberCounts').args.subscriber]) {
      expect(args.link).toEqual(tables)
      expect(args.link[0]).toBe(tables[0])
      expect(args).not.toHaveProperty('permissions')
      expect(args).not.toHaveProperty('policies')
      expect(args).not.toHaveProperty('role')
    }
    expect(declared.map((d) => d.kind).sort()).toEqual(['Cron', 'Dynamo', 'Dynamo', 'DynamoSubscriber', 'Function', 'Secret', 'Secret'])
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

  it('names handlers that exist', async () => {
    expect(typeof (await import('../../functions/api.js')).handler).toBe('function')
    expect(typeof (await import('../../functions/sweeper.js')).handler).toBe('function')
    expect(typeof (await import('../../functions/counts.js')).handler).toBe('function')
  })
})
