/**
 * Minimal stand-in for the globals SST declares in `.sst/platform/config.d.ts` (written by `sst install` or
 * `sst deploy`): only what sst.config.ts uses, with argument shapes copied from SST 4.17's components, so
 * `tsc` checks sst.config.ts without SST's platform installed. Its name is one SST never writes: `sst deploy`
 * (re)writes `sst-env.d.ts` beside every package.json, with the linked resources' types, which tsc does not read.
 */

interface $Output<T> {
  apply<U>(fn: (value: T) => U): $Output<U>
}
type $Input<T> = T | $Output<T> | Promise<T>
type $Size = `${number} MB` | `${number} GB`
type $Duration = `${number} ${'second' | 'seconds' | 'minute' | 'minutes' | 'hour' | 'hours' | 'day' | 'days'}`

declare function $config(input: {
  app(input: { stage: string }): { name: string; home: 'aws'; removal?: 'remove' | 'retain' | 'retain-all'; protect?: boolean }
  run(): Promise<Record<string, unknown> | void>
}): unknown

declare const $app: { readonly name: string; readonly stage: string }

/** Pulumi's AWS provider, which SST's platform makes global as `aws`: only what sst.config.ts uses. */
declare namespace aws {
  namespace ssm {
    interface ParameterArgs {
      type: $Input<'String' | 'StringList' | 'SecureString'>
      value?: $Input<string>
      description?: $Input<string>
      name?: $Input<string>
    }
    class Parameter {
      constructor(name: string, args: ParameterArgs)
      readonly arn: $Output<string>
      readonly name: $Output<string>
      /** Incremented by SSM on each change of the value. */
      readonly version: $Output<number>
    }
  }
}

declare namespace sst {
  class Secret {
    constructor(name: string, placeholder?: $Input<string>)
    readonly name: $Output<string>
    readonly value: $Output<string>
  }

  namespace aws {
    interface DynamoArgs {
      fields: $Input<Record<string, 'string' | 'number' | 'binary'>>
      primaryIndex: $Input<{ hashKey: string; rangeKey?: string }>
      globalIndexes?: $Input<Record<string, { hashKey: string; rangeKey?: string; projection?: 'all' | 'keys-only' | string[] }>>
      ttl?: $Input<string>
      stream?: $Input<'keys-only' | 'new-image' | 'old-image' | 'new-and-old-images'>
      deletionProtection?: $Input<boolean>
      transform?: {
        /** Pulumi's `aws.dynamodb.TableArgs`, of which only these are set here. */
        table?: (args: { billingMode?: $Input<string>; pointInTimeRecovery?: $Input<{ enabled: boolean }> }) => void
      }
    }
    interface DynamoSubscriberArgs {
      filters?: $Input<$Input<Record<string, unknown>>[]>
      transform?: {
        /** Pulumi's `aws.lambda.EventSourceMappingArgs`, of which only these are set here. */
        eventSourceMapping?: (args: {
          batchSize?: $Input<number>
          maximumBatchingWindowInSeconds?: $Input<number>
          startingPosition?: $Input<'LATEST' | 'TRIM_HORIZON'>
        }) => void
      }
    }
    class Dynamo {
      constructor(name: string, args: DynamoArgs)
      readonly name: $Output<string>
      readonly arn: $Output<string>
      subscribe(name: string, subscriber: $Input<string | FunctionArgs>, args?: DynamoSubscriberArgs): $Output<unknown>
    }

    /** Merged over SST's default CORS (every origin, method and header); `false` configures none. */
    interface FunctionUrlCorsArgs {
      allowCredentials?: $Input<boolean>
      allowHeaders?: $Input<$Input<string>[]>
      allowOrigins?: $Input<$Input<string>[]>
      allowMethods?: $Input<$Input<'*' | 'DELETE' | 'GET' | 'HEAD' | 'OPTIONS' | 'PATCH' | 'POST' | 'PUT'>[]>
      exposeHeaders?: $Input<$Input<string>[]>
      maxAge?: $Input<$Duration>
    }
    interface FunctionArgs {
      handler: $Input<string>
      runtime?: $Input<'nodejs20.x' | 'nodejs22.x' | 'nodejs24.x'>
      architecture?: $Input<'x86_64' | 'arm64'>
      memory?: $Input<$Size>
      timeout?: $Input<$Duration>
      environment?: $Input<Record<string, $Input<string>>>
      link?: $Input<unknown[]>
      url?: $Input<boolean | { authorization?: $Input<'none' | 'iam'>; cors?: $Input<boolean | FunctionUrlCorsArgs> }>
      nodejs?: $Input<{ format?: 'esm' | 'cjs'; minify?: boolean }>
      description?: $Input<string>
      /** `reserved` caps the function's concurrent instances (and sets them aside from the account's pool). */
      concurrency?: $Input<{ reserved?: $Input<number>; provisioned?: $Input<number> }>
    }
    class Function {
      constructor(name: string, args: FunctionArgs)
      readonly name: $Output<string>
      readonly arn: $Output<string>
      readonly url: $Output<string>
    }

    /** EventBridge Scheduler; `sst.aws.Cron` (EventBridge rules) is deprecated in its favour, so not declared. */
    interface CronV2Args {
      schedule: $Input<`rate(${string})` | `cron(${string})` | `at(${string})`>
      function: $Input<string | FunctionArgs>
      timezone?: $Input<string>
      enabled?: $Input<boolean>
      retries?: $Input<number>
      dlq?: $Input<string>
    }
    class CronV2 {
      constructor(name: string, args: CronV2Args)
    }

    interface VpcArgs {
      az?: $Input<number | $Input<string>[]>
      /** None by default: a Service in an SST Vpc runs in its public subnets, with public addresses. */
      nat?: $Input<'ec2' | 'managed'>
    }
    class Vpc {
      constructor(name: string, args?: VpcArgs)
      readonly id: $Output<string>
    }

    class Cluster {
      constructor(name: string, args: { vpc: Vpc })
    }

    type Port = `${number}/${'http' | 'https' | 'tcp' | 'udp' | 'tcp_udp' | 'tls'}`
    interface ServiceRule {
      listen: $Input<Port>
      forward?: $Input<Port>
      redirect?: $Input<Port>
      container?: $Input<string>
      conditions?: $Input<{ path?: $Input<string> }>
    }
    interface ServiceArgs {
      cluster: Cluster
      /** A Docker build (context and Dockerfile relative to the app's root) or an image's URI. */
      image?: $Input<string | { context?: $Input<string>; dockerfile?: $Input<string>; args?: $Input<Record<string, $Input<string>>>; target?: $Input<string> }>
      architecture?: $Input<'x86_64' | 'arm64'>
      cpu?: '0.25 vCPU' | '0.5 vCPU' | '1 vCPU' | '2 vCPU' | '4 vCPU' | '8 vCPU' | '16 vCPU'
      memory?: `${number} GB`
      scaling?: $Input<{
        min?: $Input<number>
        max?: $Input<number>
        cpuUtilization?: $Input<false | number>
        memoryUtilization?: $Input<false | number>
        requestCount?: $Input<false | number>
      }>
      link?: $Input<unknown[]>
      environment?: $Input<Record<string, $Input<string>>>
      /** Environment variables ECS reads from SSM parameters or Secrets Manager secrets (their ARNs) at task start. */
      ssm?: $Input<Record<string, $Input<string>>>
      loadBalancer?: $Input<{
        public?: $Input<boolean>
        domain?: $Input<string | { name: $Input<string>; cert?: $Input<string>; dns?: $Input<false> }>
        rules?: $Input<ServiceRule[]>
        health?: $Input<Record<Port, $Input<{
          path?: $Input<string>
          interval?: $Input<$Duration>
          timeout?: $Input<$Duration>
          healthyThreshold?: $Input<number>
          unhealthyThreshold?: $Input<number>
          successCodes?: $Input<string>
        }>>>
      }>
      wait?: $Input<boolean>
      transform?: {
        /** Pulumi's `aws.lb.TargetGroupArgs`, of which only this is set here. */
        target?: (args: { deregistrationDelay?: $Input<number> }) => void
      }
    }
    class Service {
      constructor(name: string, args: ServiceArgs)
      /** The load balancer's URL (`https://<domain>/` with a domain). */
      readonly url: $Output<string>
    }
  }
}
