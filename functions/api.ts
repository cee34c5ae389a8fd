/** @module functions/api — Lambda entry: the DQS app behind a function URL (or an API Gateway HTTP API), payload 2.0. */
import { createRuntime } from '@dqs/api'
import { loadLambdaConfig } from '@dqs/core'
import { handle } from 'hono/aws-lambda'
import { secretSettings } from './secrets.js'

// Once per cold start: config, DynamoDB client, engine and app serve every invocation of this instance. The
// environment holds the table names and DQS_REQUIRE_AUTH; the credentials and the receipt key are linked secrets.
const runtime = createRuntime(loadLambdaConfig({ ...process.env, ...secretSettings() }))

/**
 * Every DQS answer is JSON or XML text, so none is base64-encoded (hono would encode `x-amz-json-1.0` as binary,
 * taking a third off Lambda's 6 MB response limit).
 */
export const handler = handle(runtime.app, { isContentTypeBinary: () => false })
