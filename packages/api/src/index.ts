/** @module @dqs/api — the HTTP face of DQS: the Hono app that speaks both SQS dialects. */
export { createApp, type AppDeps } from './app.js'
export type { AuthConfig } from './auth/authenticate.js'
export { createRuntime, type Runtime } from './runtime.js'
