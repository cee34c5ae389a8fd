import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    globalSetup: ['test/setup/global.ts'],
    include: ['test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // the SDK's notice about Node 22 would otherwise repeat in every worker's output; the reliability suites
    // (crash, faults, hostile input, load) run in their quick form here, in full via `npm run test:reliability`
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', DQS_RELIABILITY: process.env.DQS_RELIABILITY ?? 'quick' },
  },
})
