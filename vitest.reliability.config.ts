import { defineConfig } from 'vitest/config'

/**
 * `npm run test:reliability`: the crash, fault, hostile-input and load suites at full size, one file at a time
 * (each starts its own server processes and wants the machine to itself). `npm test` runs the same files in their
 * quick form when DQS_RELIABILITY=quick, and skips them otherwise; DQS_RELIABILITY=quick here runs the quick form alone.
 */
export default defineConfig({
  test: {
    globalSetup: ['test/setup/global.ts'],
    include: ['test/reliability/**/*.test.ts'],
    env: { DQS_RELIABILITY: process.env.DQS_RELIABILITY ?? 'full', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 600_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
})
