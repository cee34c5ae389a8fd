/**
 * @module engine/scheduled-delivery — DQS's extension past SQS's 15-minute DelaySeconds: a reserved message attribute
 * that holds a standard queue's message until a given time, up to the queue's retention period.
 */
import { InvalidParameterValue } from '../errors.js'
import type { MessageAttributes } from '../model/message-attributes.js'

/** An ISO-8601 time (String): the message is receivable from then on. */
export const deliverAtAttribute = 'DQS.DeliverAt'
/** A whole number of seconds from the send (Number): the message is receivable after them. */
export const delaySecondsAttribute = 'DQS.DelaySeconds'

/** Date and time with an explicit zone: a time without one would mean a different instant on every server. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/
const WHOLE_SECONDS = /^\+?\d+$/

export interface Schedule {
  /** The attributes that are stored and delivered: the reserved one is consumed. */
  delivered: MessageAttributes
  /** When the message becomes receivable (epoch ms), or undefined when the send names no schedule. */
  visibleAt?: number
}

const invalid = (name: string, value: string | undefined, reason: string) =>
  new InvalidParameterValue(`Value ${value} for message attribute ${name} is invalid. Reason: ${reason}`)

/**
 * Takes the schedule out of a send's validated attributes. A time already past delivers at once; one at or past
 * the end of the retention period could never be delivered, so it is refused. FIFO queues refuse a schedule, as
 * they refuse a per-message DelaySeconds: a held head would hold back every later message of its group.
 */
export function takeSchedule(attributes: MessageAttributes, queue: { fifo: boolean; retentionSeconds: number }, now: number): Schedule {
  const { [deliverAtAttribute]: deliverAt, [delaySecondsAttribute]: delaySeconds, ...delivered } = attributes
  if (!deliverAt && !delaySeconds) return { delivered: attributes }
  const name = deliverAt ? deliverAtAttribute : delaySecondsAttribute
  const value = (deliverAt ?? delaySeconds)!
  if (deliverAt && delaySeconds) throw invalid(name, value.StringValue, `Give ${deliverAtAttribute} or ${delaySecondsAttribute}, not both.`)
  if (queue.fifo) throw invalid(name, value.StringValue, 'Scheduled delivery is available on standard queues only.')
  const visibleAt = deliverAt ? parseDeliverAt(deliverAt.DataType, deliverAt.StringValue) : now + parseDelay(delaySeconds!.DataType, delaySeconds!.StringValue)
  if (visibleAt - now >= queue.retentionSeconds * 1000) {
    throw invalid(name, value.StringValue, `The message would be delivered after the queue's MessageRetentionPeriod (${queue.retentionSeconds} seconds) ends.`)
  }
  return { delivered, visibleAt: Math.max(now, visibleAt) }
}

function parseDeliverAt(dataType: string, text: string | undefined): number {
  const time = text !== undefined && ISO_TIME.test(text) ? Date.parse(text) : NaN
  if (!dataType.startsWith('String') || !Number.isFinite(time)) {
    throw invalid(deliverAtAttribute, text, 'It must be a String holding an ISO-8601 date and time with a zone, such as 2030-01-31T09:30:00Z.')
  }
  return time
}

function parseDelay(dataType: string, text: string | undefined): number {
  if (!dataType.startsWith('Number') || text === undefined || !WHOLE_SECONDS.test(text)) {
    throw invalid(delaySecondsAttribute, text, 'It must be a Number holding a whole number of seconds, 0 or more.')
  }
  return Number(text) * 1000
}
