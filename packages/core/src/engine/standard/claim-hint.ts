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

/** The hint of one engine instance, with entries past their hold dropped. */
export function claimHint(deps: EngineDeps): ClaimHint {
  const held = deps.state.claimHints
  const now = deps.clock.now()
  for (const [key, until] of held) if (until <= now) held.delete(key)
  return {
    free: (key) => (held.get(key) ?? 0) <= deps.clock.now(),
    take: (key) => void held.set(key, now + holdMs),
    claimed: (key, visibleAt) => void held.set(key, Math.min(visibleAt, now + holdMs)),
    release: (key) => void held.delete(key),
  }
}

/** The hint's key for a message item. */
export const hintKey = itemKeyText
