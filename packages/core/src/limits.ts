/** @module limits — every SQS limit and default as data (docs/reference/sqs.md §b). */

export const limits = {
  queueNameLength: 80,
  maxMessageSize: 1_048_576,
  minMessageSize: 1_024,
  batchMaxEntries: 10,
  batchMaxBytes: 1_048_576,
  batchEntryIdLength: 80,
  messageAttributes: 10,
  attributeNameLength: 256,
  attributeTypeLength: 256,
  maxVisibilityTimeout: 43_200,
  maxDelaySeconds: 900,
  maxWaitTimeSeconds: 20,
  maxReceiveMessages: 10,
  minRetention: 60,
  maxRetention: 1_209_600,
  fifoIdLength: 128,
  dedupWindowMs: 5 * 60_000,
  receiveAttemptWindowMs: 5 * 60_000,
  inFlightPerQueue: 120_000,
  listQueuesMaxResults: 1_000,
  tagKeyLength: 128,
  tagValueLength: 256,
  tagsPerQueue: 50,
  permissionLabelLength: 80,
  maxReceiveCount: 1_000,
  redriveAllowSourceArns: 10,
  kmsDataKeyReuseMin: 60,
  kmsDataKeyReuseMax: 86_400,
} as const

/** What CreateQueue sets for each attribute it is not given, as SQS reports them (strings). */
export const queueDefaults = {
  DelaySeconds: '0',
  MaximumMessageSize: String(limits.maxMessageSize),
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
} as const

/** What a FIFO queue adds to `queueDefaults`. */
export const fifoQueueDefaults = {
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
} as const
