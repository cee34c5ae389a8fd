/** @module test/reliability/support/mode — full (`npm run test:reliability`), quick (DQS_RELIABILITY=quick under `npm test`), or skipped. */
import { describe } from 'vitest'

const setting = process.env.DQS_RELIABILITY
export const mode = setting === 'full' || setting === 'quick' ? setting : undefined

/** The quick or the full figure for a size, count or duration. */
export const scaled = <T>(quick: T, full: T): T => (mode === 'full' ? full : quick)

/** Per test and per hook, whichever config runs the file (the main one allows a test 30 s). */
export const timeout = scaled(180_000, 900_000)

/** A describe that runs only when a reliability mode is set: these suites start processes and take minutes. */
export const describeReliability = (name: string, suite: () => void) => (mode ? describe : describe.skip)(name, { timeout }, suite)

/** One line of figures per finding, so a run's log reads as a report. */
export function report(suite: string, figures: Record<string, unknown>) {
  const text = Object.entries(figures).map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toFixed(2)) : JSON.stringify(v)}`).join(' ')
  console.log(`[reliability:${suite}] (${mode}) ${text}`)
}
