/** @module model/queue-attributes — validation of CreateQueue/SetQueueAttributes attributes, with SQS's messages. */
import { InvalidAttributeName, InvalidAttributeValue, InvalidParameterValue } from '../errors.js'
import { fifoQueueDefaults, limits, queueDefaults } from '../limits.js'
import { parseQueueArn } from './queue.js'

const fifoOnly = ['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'] as const

type Rule = (value: string) => string | undefined

const integer = (min: number, max: number): Rule => (value) =>
  /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max ? String(Number(value)) : undefined
const boolean: Rule = (value) => (/^(true|false)$/i.test(value) ? value.toLowerCase() : undefined)
const oneOf = (...values: string[]): Rule => (value) => (values.includes(value) ? value : undefined)
const json: Rule = (value) => {
  try {
    return typeof JSON.parse(value) === 'object' ? value : undefined
  } catch {
    return undefined
  }
}

/** Attributes a caller may set, each with its value rule; RedrivePolicy/RedriveAllowPolicy have their own parsers. */
const rules: Record<string, Rule> = {
  DelaySeconds: integer(0, limits.maxDelaySeconds),
  MaximumMessageSize: integer(limits.minMessageSize, limits.maxMessageSize),
  MessageRetentionPeriod: integer(limits.minRetention, limits.maxRetention),
  ReceiveMessageWaitTimeSeconds: integer(0, limits.maxWaitTimeSeconds),
  VisibilityTimeout: integer(0, limits.maxVisibilityTimeout),
  Policy: (value) => (value === '' ? '' : json(value)),
  KmsMasterKeyId: (value) => value,
  KmsDataKeyReusePeriodSeconds: integer(limits.kmsDataKeyReuseMin, limits.kmsDataKeyReuseMax),
  SqsManagedSseEnabled: boolean,
  FifoQueue: boolean,
  ContentBasedDeduplication: boolean,
  DeduplicationScope: oneOf('messageGroup', 'queue'),
  FifoThroughputLimit: oneOf('perQueue', 'perMessageGroupId'),
}

export function defaultQueueAttributes(fifo: boolean): Record<string, string> {
  return { ...queueDefaults, ...(fifo ? fifoQueueDefaults : {}) }
}

function invalidRedrive(value: string, reason: string): never {
  throw new InvalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`)
}

/** Parses a RedrivePolicy into its canonical JSON (maxReceiveCount as a number), as SQS reports it back. */
function parseRedrivePolicy(value: string): string {
  let policy: Record<string, unknown>
  try {
    policy = JSON.parse(value)
  } catch {
    invalidRedrive(value, 'Redrive policy is not a valid JSON map.')
  }
  if (!policy || typeof policy !== 'object' || Array.isArray(policy)) invalidRedrive(value, 'Redrive policy is not a valid JSON map.')
  for (const key of Object.keys(policy)) {
    if (key !== 'deadLetterTargetArn' && key !== 'maxReceiveCount') {
      invalidRedrive(value, `Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].`)
    }
  }
  if (policy.deadLetterTargetArn === undefined) invalidRedrive(value, 'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.')
  if (policy.maxReceiveCount === undefined) invalidRedrive(value, 'Redrive policy does not contain mandatory attribute: maxReceiveCount.')
  const count = Number(policy.maxReceiveCount)
  if (!Number.isInteger(count) || count < 1 || count > limits.maxReceiveCount) {
    invalidRedrive(value, `Invalid value for maxReceiveCount: ${String(policy.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`)
  }
  if (typeof policy.deadLetterTargetArn !== 'string' || !parseQueueArn(policy.deadLetterTargetArn)) {
    invalidRedrive(value, 'Invalid value for deadLetterTargetArn.')
  }
  return JSON.stringify({ deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: count })
}

function parseRedriveAllowPolicy(value: string): string {
  const invalid = (reason: string): never => {
    throw new InvalidParameterValue(`Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: ${reason}`)
  }
  let policy: Record<string, unknown> = {}
  try {
    policy = JSON.parse(value)
  } catch {
    invalid('Amazon SQS can\'t parse the redrive allow policy.')
  }
  if (!policy || typeof policy !== 'object' || Array.isArray(policy)) invalid('Amazon SQS can\'t parse the redrive allow policy.')
  const permission = policy.redrivePermission
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    invalid('Invalid value for redrivePermission. Valid values are allowAll, denyAll and byQueue.')
  }
  const arns = policy.sourceQueueArns
  if (permission === 'byQueue') {
    if (!Array.isArray(arns) || arns.length === 0 || arns.length > limits.redriveAllowSourceArns) {
      invalid(`sourceQueueArns must contain 1 to ${limits.redriveAllowSourceArns} queue ARNs when redrivePermission is byQueue.`)
    }
    if (!(arns as unknown[]).every((arn) => typeof arn === 'string' && parseQueueArn(arn))) invalid('Invalid value for sourceQueueArns.')
    return JSON.stringify({ redrivePermission: permission, sourceQueueArns: arns })
  }
  if (arns !== undefined) invalid('sourceQueueArns can be specified only when redrivePermission is byQueue.')
  return JSON.stringify({ redrivePermission: permission })
}

/**
 * Checks attributes for a create or a set and returns them normalised (booleans lower-case, numbers canonical,
 * policies as canonical JSON). An empty RedrivePolicy or Policy means "remove" and stays ''.
 */
export function validateQueueAttributes(
  input: Record<string, string>,
  { fifo, mode }: { fifo: boolean; mode: 'create' | 'set' },
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, raw] of Object.entries(input)) {
    const value = String(raw)
    if (name === 'RedrivePolicy') {
      out[name] = value === '' ? '' : parseRedrivePolicy(value)
      continue
    }
    if (name === 'RedriveAllowPolicy') {
      out[name] = value === '' ? '' : parseRedriveAllowPolicy(value)
      continue
    }
    // own properties only: `valueOf` or `constructor` are not attributes
    const rule = Object.hasOwn(rules, name) ? rules[name] : undefined
    if (!rule) throw new InvalidAttributeName(`Unknown Attribute ${name}.`)
    // a standard queue knows no FifoQueue attribute; a FIFO queue takes `true` again, as a no-op
    if (name === 'FifoQueue') {
      if (!fifo) throw new InvalidAttributeName('Unknown Attribute FifoQueue.')
      if (mode === 'set' && rule(value) === 'false') {
        throw new InvalidAttributeValue('Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.')
      }
    }
    if (!fifo && (fifoOnly as readonly string[]).includes(name)) {
      throw new InvalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`)
    }
    const normalised = rule(value)
    if (normalised === undefined) throw new InvalidAttributeValue(`Invalid value for the parameter ${name}.`)
    out[name] = normalised
  }
  if (out.KmsMasterKeyId && out.SqsManagedSseEnabled === 'true') {
    throw new InvalidAttributeName('You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.')
  }
  return out
}

/** Cross-attribute rules that need the queue's resulting state (after a set is applied). */
function checkFifoThroughput(attributes: Record<string, string>) {
  if (attributes.FifoThroughputLimit === 'perMessageGroupId' && attributes.DeduplicationScope !== 'messageGroup') {
    throw new InvalidAttributeValue('Invalid value for the parameter FifoThroughputLimit. Reason: The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.')
  }
}

/** Applies validated changes: '' removes a policy; enabling KMS turns SQS-managed SSE off, and back. */
export function applyQueueAttributes(current: Record<string, string>, changes: Record<string, string>) {
  const next = { ...current }
  for (const [name, value] of Object.entries(changes)) {
    if (value === '' && ['RedrivePolicy', 'RedriveAllowPolicy', 'Policy', 'KmsMasterKeyId'].includes(name)) delete next[name]
    else next[name] = value
  }
  if (changes.KmsMasterKeyId) {
    next.SqsManagedSseEnabled = 'false'
    next.KmsDataKeyReusePeriodSeconds ??= '300'
  }
  if (changes.SqsManagedSseEnabled === 'true') {
    delete next.KmsMasterKeyId
    delete next.KmsDataKeyReusePeriodSeconds
  }
  checkFifoThroughput(next)
  return next
}
