/** `npm start` runs Node with a small young generation (scripts/start.mjs says why); the bench runs servers alike. */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { startNodeOptions } from '../../bench/support/server-process.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The most the young generation grows to under a steady stream of short-lived objects, in MB, for these options. */
function youngGenerationMb(options: string[]) {
  const churn = `const v8 = require('node:v8'); let keep; for (let r = 0; r < 60; r++) { const a = []; for (let i = 0; i < 100000; i++) a.push({ i }); keep = a }
    console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20)`
  const { stdout, status } = spawnSync(process.execPath, [...options, '-e', churn], { encoding: 'utf8' })
  expect(status).toBe(0)
  return Number(stdout)
}

describe('npm start', () => {
  it('caps the young generation at 4 MB a semi-space, and the bench measures servers with the same options', () => {
    const options = startNodeOptions(root)
    expect(options).toContain('--max-semi-space-size=4')
    expect(youngGenerationMb(options)).toBeLessThanOrEqual(8)
    expect(youngGenerationMb([])).toBeGreaterThan(8)
  })
})
