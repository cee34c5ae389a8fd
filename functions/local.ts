#!/usr/bin/env node
/** `npm start` and the published package's `dqs` command: DQS on 127.0.0.1:9324 with an embedded DynamoDB Local (`dqs --help`). */
import { runCli } from '@dqs/server/cli'

await runCli(process.argv.slice(2))
