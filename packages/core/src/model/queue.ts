/** @module model/queue — a queue as the engine sees it, and the typed view of its attributes. */

export interface Queue {
  accountId: string
  name: string
  /** Random internal id: message keys use it, so a re-created queue never sees old messages. */
  id: string
  fifo: boolean
  /** Settable attributes as SQS reports them (strings), defaults filled in. */
  attributes: Record<string, string>
  tags: Record<string, string>
  createdAt: number
  modifiedAt: number
  /** Purge generation: part of every message key; a purge starts a new one. */
  gen: number
  purgedAt: number
  shards: number
}

export interface RedrivePolicy {
  deadLetterTargetArn: string
  maxReceiveCount: number
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue'
  sourceQueueArns?: string[]
}

/** Numbers and policies parsed out of a queue's attribute strings. */
export interface QueueSettings {
  visibilityTimeout: number
  delaySeconds: number
  maximumMessageSize: number
  messageRetentionPeriod: number
  receiveMessageWaitTimeSeconds: number
  contentBasedDeduplication: boolean
  deduplicationScope: 'queue' | 'messageGroup'
  redrivePolicy?: RedrivePolicy
  redriveAllowPolicy?: RedriveAllowPolicy
}

export function queueSettings(queue: Queue): QueueSettings {
  const a = queue.attributes
  return {
    visibilityTimeout: Number(a.VisibilityTimeout),
    delaySeconds: Number(a.DelaySeconds),
    maximumMessageSize: Number(a.MaximumMessageSize),
    messageRetentionPeriod: Number(a.MessageRetentionPeriod),
    receiveMessageWaitTimeSeconds: Number(a.ReceiveMessageWaitTimeSeconds),
    contentBasedDeduplication: a.ContentBasedDeduplication === 'true',
    deduplicationScope: a.DeduplicationScope === 'messageGroup' ? 'messageGroup' : 'queue',
    redrivePolicy: a.RedrivePolicy ? (JSON.parse(a.RedrivePolicy) as RedrivePolicy) : undefined,
    redriveAllowPolicy: a.RedriveAllowPolicy ? (JSON.parse(a.RedriveAllowPolicy) as RedriveAllowPolicy) : undefined,
  }
}

export function queueArn(region: string, accountId: string, name: string) {
  return `arn:aws:sqs:${region}:${accountId}:${name}`
}

/** `arn:aws:sqs:<region>:<account>:<name>` → its parts, or null. */
export function parseQueueArn(arn: string): { region: string; accountId: string; name: string } | null {
  const match = /^arn:aws:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,75}(?:\.fifo)?)$/.exec(arn)
  return match ? { region: match[1]!, accountId: match[2]!, name: match[3]! } : null
}
