import { describe, expect, it } from 'vitest'
import type { EngineDeps } from '../deps.js'
import { claimHint } from './claim-hint.js'

function instance() {
  const clock = { at: 1_000_000, now: () => clock.at }
  const held = new Map<string, number>()
  const deps = { state: { claimHints: held }, clock } as unknown as EngineDeps
  return { clock, held, hint: () => claimHint(deps) }
}

describe('the claim hint', () => {
  it('keeps what receives here took or claimed for two seconds at most, and drops it after', () => {
    const { clock, held, hint } = instance()
    const first = hint()
    for (let i = 0; i < 500; i++) first.take(`m${i}`)
    first.claimed('m0', clock.at + 30_000)
    expect(first.free('m1')).toBe(false)
    expect(first.free('other')).toBe(true)
    clock.at += 1_000
    const second = hint()
    second.take('late')
    expect(held.size).toBe(501)
    clock.at += 1_000
    // every entry of the first receive lapsed, the second's is held
    hint()
    expect([...held.keys()]).toEqual(['late'])
    expect(hint().free('m1')).toBe(true)
    expect(hint().free('late')).toBe(false)
  })

  it('frees a message claimed for less than the hold once it is visible again, and one released at once', () => {
    const { clock, hint } = instance()
    const receive = hint()
    receive.take('short')
    receive.take('released')
    receive.claimed('short', clock.at + 500)
    receive.release('released')
    expect(receive.free('released')).toBe(true)
    expect(receive.free('short')).toBe(false)
    clock.at += 500
    expect(hint().free('short')).toBe(true)
  })
})
