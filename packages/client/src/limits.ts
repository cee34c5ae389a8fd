/** @module limits — the SQS limits the client plans around, as data (reference: SQS quotas for messages and batches). */

/** SQS's limits on batches, message sizes, receives and visibility, as the client plans around them. */
export const sqsLimits = {
  /** Entries per SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch. */
  batchMaxEntries: 10,
  /** Sum of the sizes of a SendMessageBatch's messages. */
  batchMaxBytes: 1_048_576,
  /** One message: body plus attribute names, types and values. */
  messageMaxBytes: 1_048_576,
  /** MaxNumberOfMessages of one ReceiveMessage. */
  receiveMaxMessages: 10,
  /** WaitTimeSeconds of one ReceiveMessage. */
  maxWaitTimeSeconds: 20,
  /** A message's visibility can never reach past 12 hours after its receive. */
  maxVisibilityTimeout: 43_200,
} as const
