import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    globalSetup: ['test/setup/global.ts'],
    include: ['test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    // the fault-injection suite still trips over an ambiguous-write case about one run in ten (see
    // docs/benchmarks.md, finding 6): it runs in `npm run test:reliability` only until that is fixed
    exclude: [...configDefaults.exclude, 'test/reliability/faults.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // the SDK's notice about Node 22 would otherwise repeat in every worker's output; the reliability suites
    // (crash, hostile input, load) run in their quick form here, in full via `npm run test:reliability`
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', DQS_RELIABILITY: process.env.DQS_RELIABILITY ?? 'quick' },
  },
})
