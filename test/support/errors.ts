/** Errors whose client-side form depends on the operation, not only on the dialect. */
import { sqsError, type Dialect } from './clients.js'

/**
 * QueueDoesNotExist as each client surfaces it. The JSON client always names the shape. The Query-era model
 * (3.445.0) lists it only on GetQueueUrl, ListDeadLetterSourceQueues and PurgeQueue; on every other operation that
 * client names the error by its Query code and keeps SQS's Query wording, "…for this wsdl version."
 */
export function queueDoesNotExist(dialect: Dialect, { modelledInQuery = false } = {}) {
  if (dialect === 'json') return sqsError(dialect, { name: 'QueueDoesNotExist', status: 400, message: 'The specified queue does not exist.' })
  if (modelledInQuery) return sqsError(dialect, { name: 'QueueDoesNotExist', status: 400 })
  return sqsError(dialect, {
    name: 'AWS.SimpleQueueService.NonExistentQueue',
    status: 400,
    message: 'The specified queue does not exist for this wsdl version.',
    modelled: false,
  })
}
