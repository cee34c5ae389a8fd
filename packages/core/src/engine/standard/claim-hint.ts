/**
 * @module engine/standard/claim-hint — which candidates this instance's receives have just tried to claim, so that
 * concurrent receives here pick others. A hint only: the claim's condition decides, and other instances never see it.
 */
import { itemKeyText } from '../../storage/keys.js'
import type { EngineDeps } from '../deps.js'

/** Long enough to cover a query that read a message just before another receive here claimed it. */
const holdMs = 2_000

export interface ClaimHint {
  /** Not being tried, nor just claimed, by a receive on this instance. */
  free(key: string): boolean
  /** About to be tried: other receives here leave it alone for a while. */
  take(key: string): void
  /** Claimed, hidden until `visibleAt`: left alone until then, but no longer than the hold. */
  claimed(key: string, visibleAt: number): void
  /** Receivable again (visibility changed to 0): no reason to skip it any more. */
  release(key: string): void
}

/**
 * The hint of one engine instance, with entries past their hold dropped. Entries are kept in the order they were
 * last set, which is nearly the order they lapse in: dropping stops at the first one still held, so a receive looks
 * at what lapsed since the last one, not at every message claimed in the last two seconds (hundreds under load).
 * One set out of order (a claim hidden for less than the hold) lapses a little late: `free` still reads its time.
 */
export function claimHint(deps: EngineDeps): ClaimHint {
  const held = deps.state.claimHints
  const now = deps.clock.now()
  for (const key of held.keys()) {
    if (held.get(key)! > now) break
    held.delete(key)
  }
  const hold = (key: string, until: number) => {
    held.delete(key)
    held.set(key, until)
  }
  return {
    free: (key) => (held.get(key) ?? 0) <= deps.clock.now(),
    take: (key) => hold(key, now + holdMs),
    claimed: (key, visibleAt) => hold(key, Math.min(visibleAt, now + holdMs)),
    release: (key) => void held.delete(key),
  }
}

/** The hint's key for a message item. */
export const hintKey = itemKeyText
