/// <reference path="./sst-platform.d.ts" />
/** @module sst.config — DQS on AWS: the two tables, the API function behind a function URL, the counts stream consumer, the scheduled sweeper, secrets. */

export default $config({
  app(input) {
    return {
      name: 'dqs',
      home: 'aws',
      // production keeps its tables (and the messages in them) when the app is removed; other stages go entirely
      removal: input.stage === 'production' ? 'retain' : 'remove',
    }
  },
  async run() {
    // SST forbids top-level imports here; the table definitions are the ones local set-up creates
    const { tableDefinitions } = await import('./packages/core/src/storage/tables.js')
    const [queues, messages] = tableDefinitions.map((table) => new sst.aws.Dynamo(table.name === 'queues' ? 'Queues' : 'Messages', {
      fields: table.fields,
      primaryIndex: table.primaryIndex,
      globalIndexes: table.globalIndexes,
      ttl: table.ttl,
      stream: table.stream,
      transform: {
        // SST's defaults today; stated so a change of default cannot silently drop backups or the billing model
        table(args) {
          args.billingMode = 'PAY_PER_REQUEST'
          args.pointInTimeRecovery = { enabled: true }
        },
      },
    }))

    // `accessKey:secret:accountId,…`; `sst secret set DqsCredentials …` before the first deploy
    const credentials = new sst.Secret('DqsCredentials')
    // HMAC key that signs receipt handles
    const receiptKey = new sst.Secret('DqsReceiptKey')

    // linking grants the functions dynamodb:* on these two tables (and their indexes) and nothing else
    const link = [queues!, messages!]
    const tables = { DQS_QUEUES_TABLE: queues!.name, DQS_MESSAGES_TABLE: messages!.name }
    const node = { runtime: 'nodejs22.x', architecture: 'arm64' } as const
    // SST's default CORS lets every origin call the URL; none unless DQS_CORS_ORIGINS lists origins at deploy time
    const corsOrigins = (process.env.DQS_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean)

    const api = new sst.aws.Function('Api', {
      ...node,
      handler: 'functions/api.handler',
      description: 'DQS: the SQS API (JSON 1.0 and Query)',
      memory: '512 MB',
      // a long poll holds the function for up to 20 s; room for the receive that ends it
      timeout: '30 seconds',
      // DQS checks SigV4 itself against DqsCredentials; IAM auth would demand AWS credentials instead
      url: {
        authorization: 'none',
        cors: corsOrigins.length ? {
          allowOrigins: corsOrigins,
          // Query GETs (presigned URLs) and POSTs
          allowMethods: ['GET', 'POST'],
          // what the AWS SDK for JavaScript sends; a wildcard would not cover Authorization
          allowHeaders: ['authorization', 'content-type', 'x-amz-date', 'x-amz-security-token', 'x-amz-target', 'x-amz-user-agent', 'x-amzn-query-mode', 'amz-sdk-invocation-id', 'amz-sdk-request'],
          // the request id, and the Query code of a JSON error, which the SDKs read
          exposeHeaders: ['x-amzn-requestid', 'x-amzn-query-error'],
          maxAge: '1 hour',
        } : false,
      },
      // linked secrets are encrypted into the bundle, not put in the environment (functions/secrets.ts reads them)
      link: [...link, credentials, receiptKey],
      environment: { ...tables, DQS_REQUIRE_AUTH: 'true' },
    })

    new sst.aws.CronV2('Sweeper', {
      // each run stops 15 s before its timeout and saves its place; overlapping runs are harmless
      schedule: 'rate(5 minutes)',
      function: {
        ...node,
        handler: 'functions/sweeper.handler',
        description: 'DQS: deletes purged, deleted-queue and expired messages',
        memory: '256 MB',
        timeout: '5 minutes',
        link,
        environment: tables,
      },
    })

    // the queues' approximate counts follow the messages table's changes (engine/count-changes.ts)
    messages!.subscribe('Counts', {
      ...node,
      handler: 'functions/counts.handler',
      description: 'DQS: keeps the queues\' approximate counts from the messages stream',
      memory: '256 MB',
      timeout: '1 minute',
      link,
      environment: tables,
    }, {
      transform: {
        eventSourceMapping(args) {
          // one counts update per queue per batch: bigger, fuller batches make it cheaper per message
          args.batchSize = 1000
          args.maximumBatchingWindowInSeconds = 1
          args.startingPosition = 'TRIM_HORIZON'
        },
      },
    })

    return { endpoint: api.url }
  },
})
