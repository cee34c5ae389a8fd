/** @module engine/in-flight — SQS's cap on in-flight messages per standard queue (OverLimit on short polls). */
import { OverLimit } from '../errors.js'
import type { Queue } from '../model/queue.js'
import type { EngineDeps } from './deps.js'
import type { ApproximateCounts } from './queue-attributes.js'

const refreshMs = 10_000

/**
 * Checks the last known in-flight count without a read on the receive path; a stale figure is refreshed in the
 * background (the count is approximate in SQS too).
 */
export function checkInFlight(deps: EngineDeps, queue: Queue, limit: number, count: (queue: Queue) => Promise<ApproximateCounts>) {
  const memo = deps.state.inFlight
  const last = memo.get(queue.id)
  const now = deps.clock.now()
  if (!last || now - last.at > refreshMs) {
    memo.set(queue.id, { notVisible: last?.notVisible ?? 0, at: now })
    count(queue).then((c) => memo.set(queue.id, { notVisible: c.notVisible, at: deps.clock.now() }), () => undefined)
  }
  if (last && last.notVisible >= limit) {
    throw new OverLimit(`Too many messages in flight for queue ${queue.name}: the limit is ${limit}.`)
  }
}
