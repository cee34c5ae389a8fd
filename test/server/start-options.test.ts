/**
 * `npm start` runs Node with larger young and initial old generations (scripts/start.mjs says why); the bench runs
 * servers alike.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { startNodeOptions } from '../../bench/support/server-process.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The most the young generation grows to under a steady stream of short-lived objects, in MB, for these options. */
function youngGenerationMb(options: string[]) {
  const churn = `const v8 = require('node:v8'); let keep; for (let r = 0; r < 60; r++) { const a = []; for (let i = 0; i < 100000; i++) a.push({ i }); keep = a }
    console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20)`
  const { stdout, stderr, status } = spawnSync(process.execPath, [...options, '-e', churn], { encoding: 'utf8' })
  expect(stderr).toBe('')
  expect(status).toBe(0)
  return Number(stdout)
}

describe('npm start', () => {
  it('runs Node with 16 MB semi-spaces and a 96 MB initial old generation, and the bench measures servers with the same options', () => {
    const options = startNodeOptions(root)
    expect(options).toEqual(['--max-semi-space-size=16', '--initial-old-space-size=96'])
    // the young generation grows past what a 4 MB cap allows (two semi-spaces and their share of new space: 8 MB)
    expect(youngGenerationMb(options)).toBeGreaterThan(8)
    expect(youngGenerationMb(['--max-semi-space-size=4'])).toBeLessThanOrEqual(8)
  })
})
