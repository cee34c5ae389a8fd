import { describe, expect, it } from 'vitest'
import type { Clock } from '../clock.js'
import { longPoll, pollBackoff, SendNotifier } from './long-poll.js'

/** A clock whose sleeps return at once and are recorded, so a test sees exactly when a poll would have waited. */
function recordingClock() {
  let now = 0
  const sleeps: number[] = []
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms)
      now += ms
    },
  }
  return { clock, sleeps }
}

describe('longPoll', () => {
  it('looks again at once when a send on this instance landed during the attempt, instead of sleeping through it', async () => {
    const { clock, sleeps } = recordingClock()
    const notifier = new SendNotifier()
    let attempts = 0
    const found = await longPoll({ clock, notifier, queueId: 'q', waitMs: 20_000 }, async () => {
      attempts++
      if (attempts === 1) notifier.notify('q') // the send lands while this attempt is querying
      return attempts === 2 ? ['message'] : []
    })
    expect(found).toEqual(['message'])
    expect(sleeps).toEqual([])
  })

  it('backs off from the first interval up to the cap while nothing arrives, and ends at the wait', async () => {
    const { clock, sleeps } = recordingClock()
    const found = await longPoll({ clock, notifier: new SendNotifier(), queueId: 'q', waitMs: 5_000 }, async () => [])
    expect(found).toEqual([])
    expect(sleeps[0]).toBe(pollBackoff.firstMs)
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(pollBackoff.maxMs)
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(5_000)
  })
})
