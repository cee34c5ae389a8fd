/// <reference path="./sst-platform.d.ts" />
/**
 * @module sst.config — DQS on AWS: the two tables; the SQS API as a Lambda function behind a function URL, or as a
 * long-running container service behind a load balancer (`DQS_API`, docs/deploy.md compares them); the counts stream
 * consumer; the scheduled sweeper; secrets.
 */

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
    // read at each deploy, as SST reads its own: from the environment, or from .env / .env.<stage>
    const settings = deploySettings(process.env)
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

    // linking grants dynamodb:* on these two tables (and their indexes) and nothing else
    const link = [queues!, messages!]
    const tables = { DQS_QUEUES_TABLE: queues!.name, DQS_MESSAGES_TABLE: messages!.name }
    const node = { runtime: 'nodejs22.x', architecture: 'arm64' } as const

    const endpoint = settings.api === 'lambda'
      ? lambdaApi(settings, { link, tables, node, secrets: [credentials, receiptKey] })
      : serviceApi(settings, { link, tables, secrets: { DQS_CREDENTIALS: credentials, DQS_RECEIPT_KEY: receiptKey } })

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

    return { endpoint }
  },
})

/** What every API front is given: the tables (linked, and named in its environment). */
interface Shared {
  link: sst.aws.Dynamo[]
  tables: Record<'DQS_QUEUES_TABLE' | 'DQS_MESSAGES_TABLE', $Output<string>>
}

/** The SQS API as a Lambda function behind its function URL: pays per request and per second of each request. */
function lambdaApi(settings: DeploySettings, shared: Shared & { node: Pick<sst.aws.FunctionArgs, 'runtime' | 'architecture'>; secrets: sst.Secret[] }) {
  const api = new sst.aws.Function('Api', {
    ...shared.node,
    handler: 'functions/api.handler',
    description: 'DQS: the SQS API (JSON 1.0 and Query)',
    memory: '512 MB',
    // a long poll holds the function for up to 20 s; room for the receive that ends it
    timeout: '30 seconds',
    // DQS checks SigV4 itself against DqsCredentials; IAM auth would demand AWS credentials instead
    url: {
      authorization: 'none',
      cors: settings.corsOrigins.length ? {
        allowOrigins: settings.corsOrigins,
        // Query GETs (presigned URLs) and POSTs
        allowMethods: ['GET', 'POST'],
        // what the AWS SDK for JavaScript sends; a wildcard would not cover Authorization
        allowHeaders: ['authorization', 'content-type', 'x-amz-date', 'x-amz-security-token', 'x-amz-target', 'x-amz-user-agent', 'x-amzn-query-mode', 'amz-sdk-invocation-id', 'amz-sdk-request'],
        // the request id, and the Query code of a JSON error, which the SDKs read
        exposeHeaders: ['x-amzn-requestid', 'x-amzn-query-error'],
        maxAge: '1 hour',
      } : false,
    },
    // at most this many instances, so idle long polls cannot take the account's whole concurrency (docs/deploy.md:
    // the rest are answered 429, which the SDKs retry); none: as many as there are requests
    ...(settings.apiConcurrency === undefined ? {} : { concurrency: { reserved: settings.apiConcurrency } }),
    // linked secrets are encrypted into the bundle, not put in the environment (functions/secrets.ts reads them)
    link: [...shared.link, ...shared.secrets],
    environment: { ...shared.tables, DQS_REQUIRE_AUTH: 'true', DQS_MAX_WAIT_SECONDS: String(settings.maxWaitSeconds) },
  })
  return api.url
}

/** The port the container's server listens on: the Dockerfile's DQS_PORT. */
const servicePort = 9324

/**
 * The SQS API as a container service on ECS Fargate behind an Application Load Balancer: pays per hour whatever the
 * requests, however long they wait. In SST's Vpc the tasks run in public subnets with public addresses (SST's
 * default), so no NAT gateway is needed to reach DynamoDB, ECR and CloudWatch.
 */
function serviceApi(settings: DeploySettings, shared: Shared & { secrets: Record<'DQS_CREDENTIALS' | 'DQS_RECEIPT_KEY', sst.Secret> }) {
  // ECS writes a task's `environment` into its task definition in plain text, where `ecs:DescribeTaskDefinition`
  // shows it, and SST puts a service's links there too (SST_RESOURCE_<name>, a secret's value included): the
  // secrets go to SSM SecureString parameters instead (AWS's managed key; free at the standard tier), which ECS
  // reads at each task's start with the execution role SST gives it, and hands the container as environment
  // variables. The task definition names the parameters only.
  const parameters = Object.entries(shared.secrets).map(([setting, secret]) => [setting, new aws.ssm.Parameter(`${setting}Parameter`, {
    type: 'SecureString',
    value: secret.value,
    description: `DQS: ${setting} of the ${$app.stage} stage (sst.config.ts)`,
  })] as const)
  const vpc = new sst.aws.Vpc('Vpc')
  const cluster = new sst.aws.Cluster('Cluster', { vpc })
  const domain = settings.domain
  const service = new sst.aws.Service('ApiService', {
    cluster,
    image: { context: '.', dockerfile: 'Dockerfile' },
    architecture: 'arm64',
    // Fargate's smallest task: waiting polls cost it almost nothing; more tasks come with CPU use
    cpu: '0.25 vCPU',
    memory: '0.5 GB',
    scaling: { min: 2, max: 10, cpuUtilization: 60 },
    link: shared.link,
    environment: {
      ...shared.tables,
      DQS_REQUIRE_AUTH: 'true',
      // a new parameter version changes the task definition, so ECS replaces the tasks, which read secrets at start
      ...Object.fromEntries(parameters.map(([setting, parameter]) => [`${setting}_VERSION`, parameter.version.apply(String)])),
    },
    ssm: Object.fromEntries(parameters.map(([setting, parameter]) => [setting, parameter.arn])),
    loadBalancer: {
      ...(domain ? { domain } : {}),
      // HTTPS needs a domain of the account's (Route 53); without one the API is plain HTTP: docs/deploy.md
      rules: domain
        ? [{ listen: '80/http', redirect: '443/https' }, { listen: '443/https', forward: `${servicePort}/http` }]
        : [{ listen: '80/http', forward: `${servicePort}/http` }],
      // GET /health answers unsigned without reading anything; a new task serves after two checks, not five
      health: { [`${servicePort}/http`]: { path: '/health', interval: '10 seconds', healthyThreshold: 2 } },
    },
    transform: {
      target(args) {
        // how long a stopping task keeps answering the requests it has (ECS sends SIGTERM after): past the longest
        // long poll (20 s), not the 5 minutes of the default, which every deploy and scale-in would wait out
        args.deregistrationDelay = 30
      },
    },
  })
  return service.url
}

interface DeploySettings {
  /** Which front serves the SQS API on this stage. */
  api: 'lambda' | 'service'
  corsOrigins: string[]
  maxWaitSeconds: number
  apiConcurrency?: number
  domain?: string
}

/** Settings of a Lambda API only, and of the service only: one given for the other front is a mistake, said so. */
const settingsOf = { lambda: ['DQS_CORS_ORIGINS', 'DQS_MAX_WAIT_SECONDS', 'DQS_API_CONCURRENCY'], service: ['DQS_DOMAIN'] }

/** The deploy-time variables (docs/deploy.md), checked: a wrong one stops the deploy with its name. */
function deploySettings(env: Record<string, string | undefined>): DeploySettings {
  const text = (name: string) => env[name]?.trim() || undefined
  const api = text('DQS_API') ?? 'lambda'
  if (api !== 'lambda' && api !== 'service') throw new Error(`DQS_API must be lambda or service, not "${api}"`)
  for (const [front, names] of Object.entries(settingsOf)) {
    for (const name of names) if (front !== api && text(name)) throw new Error(`${name} applies to DQS_API=${front} only`)
  }
  const wholeNumber = (name: string, min: number, max: number) => {
    const value = text(name)
    if (value === undefined) return undefined
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${value}"`)
    return Number(value)
  }
  return {
    api,
    // SST's default CORS lets every origin call the URL; none unless DQS_CORS_ORIGINS lists origins
    corsOrigins: (text('DQS_CORS_ORIGINS') ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    // a few seconds: a poll holds a function (and a unit of concurrency) no longer; SQS's 20 s at most
    maxWaitSeconds: wholeNumber('DQS_MAX_WAIT_SECONDS', 0, 20) ?? 5,
    // 0 would stop the function from running at all
    apiConcurrency: wholeNumber('DQS_API_CONCURRENCY', 1, 100_000),
    domain: text('DQS_DOMAIN'),
  }
}
