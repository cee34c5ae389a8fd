/** @module errors — SQS's error shapes: each carries its wire facts (shape, Query code, HTTP status, message). */

export interface SqsErrorSpec {
  /** Smithy shape name: the suffix of the JSON `__type`. */
  shape: string
  /** Modelled SQS shapes live in `com.amazonaws.sqs`; common errors in `com.amazon.coral.service`. */
  namespace?: 'sqs' | 'coral'
  /** The Query protocol's `<Code>` and the JSON `x-amzn-query-error` header's code. */
  queryCode: string
  status: number
  message: string
  fault?: 'Sender' | 'Receiver'
  /** Seconds a client should wait before retrying (503 answers). */
  retryAfter?: number
}

export class SqsError extends Error {
  readonly shape: string
  readonly namespace: 'sqs' | 'coral'
  readonly queryCode: string
  readonly status: number
  readonly fault: 'Sender' | 'Receiver'
  readonly retryAfter?: number

  constructor(spec: SqsErrorSpec) {
    super(spec.message)
    this.name = spec.shape
    this.shape = spec.shape
    this.namespace = spec.namespace ?? 'sqs'
    this.queryCode = spec.queryCode
    this.status = spec.status
    this.fault = spec.fault ?? 'Sender'
    this.retryAfter = spec.retryAfter
  }

  get jsonType() {
    return this.namespace === 'sqs' ? `com.amazonaws.sqs#${this.shape}` : `com.amazon.coral.service#${this.shape}`
  }
}

/**
 * In batches and per-entry work: an SqsError is that entry's own failure and is returned as its result; anything
 * else (storage, a bug) fails the whole request and is rethrown.
 */
export function entryErrorOrThrow(error: unknown): SqsError {
  if (error instanceof SqsError) return error
  throw error
}

export class QueueDoesNotExist extends SqsError {
  constructor() {
    super({ shape: 'QueueDoesNotExist', queryCode: 'AWS.SimpleQueueService.NonExistentQueue', status: 400,
      message: 'The specified queue does not exist.' })
  }
}

export class QueueNameExists extends SqsError {
  constructor(attribute: string) {
    super({ shape: 'QueueNameExists', queryCode: 'QueueAlreadyExists', status: 400,
      message: `A queue already exists with the same name and a different value for attribute ${attribute}` })
  }
}

export class QueueDeletedRecently extends SqsError {
  constructor() {
    super({ shape: 'QueueDeletedRecently', queryCode: 'AWS.SimpleQueueService.QueueDeletedRecently', status: 400,
      message: 'You must wait 60 seconds after deleting a queue before you can create another with the same name.' })
  }
}

export class PurgeQueueInProgress extends SqsError {
  constructor(queueName: string) {
    super({ shape: 'PurgeQueueInProgress', queryCode: 'AWS.SimpleQueueService.PurgeQueueInProgress', status: 403,
      message: `Only one PurgeQueue operation on ${queueName} is allowed every 60 seconds.` })
  }
}

export class ReceiptHandleIsInvalid extends SqsError {
  constructor(handle: string) {
    super({ shape: 'ReceiptHandleIsInvalid', queryCode: 'ReceiptHandleIsInvalid', status: 404,
      message: `The input receipt handle "${handle}" is not a valid receipt handle.` })
  }
}

export class TooManyEntriesInBatchRequest extends SqsError {
  constructor(count: number) {
    super({ shape: 'TooManyEntriesInBatchRequest', queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      status: 400, message: `Maximum number of entries per request are 10. You have sent ${count}.` })
  }
}

export class EmptyBatchRequest extends SqsError {
  constructor(entryType: string) {
    super({ shape: 'EmptyBatchRequest', queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400,
      message: `There should be at least one ${entryType} in the request.` })
  }
}

export class BatchEntryIdsNotDistinct extends SqsError {
  constructor(id: string) {
    super({ shape: 'BatchEntryIdsNotDistinct', queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      status: 400, message: `Id ${id} repeated.` })
  }
}

export class InvalidBatchEntryId extends SqsError {
  constructor() {
    super({ shape: 'InvalidBatchEntryId', queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400,
      message: 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.' })
  }
}

export class BatchRequestTooLong extends SqsError {
  constructor(bytes: number, limit: number) {
    super({ shape: 'BatchRequestTooLong', queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400,
      message: `Batch requests cannot be longer than ${limit} bytes. You have sent ${bytes} bytes.` })
  }
}

export class InvalidAttributeName extends SqsError {
  constructor(message: string) {
    super({ shape: 'InvalidAttributeName', queryCode: 'InvalidAttributeName', status: 400, message })
  }
}

export class InvalidAttributeValue extends SqsError {
  constructor(message: string) {
    super({ shape: 'InvalidAttributeValue', queryCode: 'InvalidAttributeValue', status: 400, message })
  }
}

export class InvalidMessageContents extends SqsError {
  constructor(message = 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF') {
    super({ shape: 'InvalidMessageContents', queryCode: 'InvalidMessageContents', status: 400, message })
  }
}

export class OverLimit extends SqsError {
  constructor(message: string) {
    super({ shape: 'OverLimit', queryCode: 'OverLimit', status: 403, message })
  }
}

/** A receive past the cap on waiting long polls: SDKs retry it with backoff, as they do SQS's own throttling. */
export class RequestThrottled extends SqsError {
  constructor() {
    super({ shape: 'RequestThrottled', queryCode: 'RequestThrottled', status: 403,
      message: 'Too many long polls are waiting on this server; retry with backoff.' })
  }
}

export class MessageNotInflight extends SqsError {
  constructor() {
    super({ shape: 'MessageNotInflight', queryCode: 'AWS.SimpleQueueService.MessageNotInflight', status: 400,
      message: 'The message referred to is not in flight.' })
  }
}

export class UnsupportedOperation extends SqsError {
  constructor(message: string) {
    super({ shape: 'UnsupportedOperation', queryCode: 'AWS.SimpleQueueService.UnsupportedOperation', status: 400, message })
  }
}

export class ResourceNotFoundException extends SqsError {
  constructor(message: string) {
    super({ shape: 'ResourceNotFoundException', queryCode: 'ResourceNotFoundException', status: 404, message })
  }
}

// Common (unmodelled) errors: JSON `__type` in the coral namespace.

export class InvalidParameterValue extends SqsError {
  constructor(message: string) {
    super({ shape: 'InvalidParameterValueException', namespace: 'coral', queryCode: 'InvalidParameterValue',
      status: 400, message })
  }
}

/** A message over the queue's MaximumMessageSize: SQS words it differently for a batch entry (docs/reference/sqs.md §b.2, §c). */
export class MessageTooLong extends InvalidParameterValue {
  readonly batchEntryMessage: string

  constructor(maximum: number) {
    super(`One or more parameters are invalid. Reason: Message must be shorter than ${maximum} bytes.`)
    this.batchEntryMessage = `One or more parameters cannot be validated. Reason: Message must be shorter than ${maximum} bytes.`
  }
}

export class MissingParameter extends SqsError {
  constructor(parameter: string) {
    super({ shape: 'MissingRequiredParameterException', namespace: 'coral', queryCode: 'MissingParameter',
      status: 400, message: `The request must contain the parameter ${parameter}.` })
  }
}

export class InvalidAction extends SqsError {
  constructor(action: string) {
    super({ shape: 'UnknownOperationException', namespace: 'coral', queryCode: 'InvalidAction', status: 400,
      message: `The action ${action} is not valid for this endpoint.` })
  }
}

export class MissingAction extends SqsError {
  constructor() {
    super({ shape: 'MissingAction', namespace: 'coral', queryCode: 'MissingAction', status: 400,
      message: 'The request must contain the parameter Action.' })
  }
}

export class MalformedInput extends SqsError {
  constructor(message: string) {
    super({ shape: 'SerializationException', namespace: 'coral', queryCode: 'MalformedInput', status: 400, message })
  }
}

/** A Query request no SQS action could produce (too many parameters): SQS's common error for a malformed query. */
export class InvalidQueryParameter extends SqsError {
  constructor(count: number, maximum: number) {
    super({ shape: 'InvalidQueryParameter', namespace: 'coral', queryCode: 'InvalidQueryParameter', status: 400,
      message: `The request has ${count} parameters; an SQS request has at most ${maximum}.` })
  }
}

export class AccessDenied extends SqsError {
  constructor(message = 'Access to the resource is denied.') {
    super({ shape: 'AccessDeniedException', namespace: 'coral', queryCode: 'AccessDenied', status: 403, message })
  }
}

export class ServiceUnavailable extends SqsError {
  constructor(message = 'Service is unable to handle request.') {
    super({ shape: 'ServiceUnavailable', namespace: 'coral', queryCode: 'ServiceUnavailable', status: 503,
      message, fault: 'Receiver', retryAfter: 1 })
  }
}

export class InternalFailure extends SqsError {
  constructor() {
    super({ shape: 'InternalFailure', namespace: 'coral', queryCode: 'InternalFailure', status: 500,
      message: 'The request processing has failed because of an unknown error, exception or failure.', fault: 'Receiver' })
  }
}

/** Authentication failures: JSON `__type` as AWS's coral front end names them, 403 in both dialects. */
const authShapes = {
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  InvalidClientTokenId: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  RequestExpired: 'InvalidSignatureException',
} as const

export class AuthError extends SqsError {
  constructor(code: keyof typeof authShapes, message: string) {
    super({ shape: authShapes[code], namespace: 'coral', queryCode: code, status: 403, message })
  }
}
