/**
 * @module functions/service — the container's entry (Dockerfile): DQS as a long-running server on AWS's DynamoDB, in
 * the region the task runs in; SIGTERM drains it (packages/server/src/drain.ts).
 */
import { onAws } from '@dqs/core/config'
import { runCli } from '@dqs/server/cli'

// everything comes from the task's environment: the Dockerfile's, sst.config.ts's, and the secrets ECS reads from SSM
await runCli(process.argv.slice(2), onAws(process.env))
