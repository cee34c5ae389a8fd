/** @module engine/redrive-policy — a RedrivePolicy must name an existing dead-letter queue that accepts this source. */
import { InvalidParameterValue } from '../errors.js'
import { parseQueueArn, queueArn, queueSettings, type Queue, type RedrivePolicy } from '../model/queue.js'
import type { EngineDeps } from './deps.js'
import { lookupQueue } from './queue-cache.js'

/** May `source` send its dead letters to `target`, by the target's RedriveAllowPolicy? */
export function redriveAllowed(deps: EngineDeps, source: Queue, target: Queue): boolean {
  const allow = queueSettings(target).redriveAllowPolicy
  if (!allow || allow.redrivePermission === 'allowAll') return true
  if (allow.redrivePermission === 'denyAll') return false
  return (allow.sourceQueueArns ?? []).includes(queueArn(deps.config.region, source.accountId, source.name))
}

/** Checks a canonical RedrivePolicy JSON for `queue`: the target exists, has the same type and allows it. */
export async function checkRedriveTarget(deps: EngineDeps, queue: Queue, policyJson: string) {
  const policy = JSON.parse(policyJson) as RedrivePolicy
  const invalid = (reason: string) =>
    new InvalidParameterValue(`Value ${policyJson} for parameter RedrivePolicy is invalid. Reason: ${reason}`)
  const arn = parseQueueArn(policy.deadLetterTargetArn)
  const target = arn && arn.accountId === queue.accountId && arn.region === deps.config.region
    ? await lookupQueue(deps, arn.accountId, arn.name)
    : null
  if (!target) throw invalid('Dead letter target does not exist.')
  if (target.fifo !== queue.fifo) throw invalid('Dead-letter queue must be same type of queue as the source.')
  if (!redriveAllowed(deps, queue, target)) {
    throw invalid(`Queue ${policy.deadLetterTargetArn} does not allow this queue to use it as a dead-letter queue.`)
  }
}
