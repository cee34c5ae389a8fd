/** @module test/reliability/support/hostile-values — fast-check arbitraries for the values inside SQS requests: plausible, wrong-typed, huge and broken. */
import fc from 'fast-check'

/** Every action in the SQS API model, including ones DQS may not implement. */
export const sqsActions = [
  'AddPermission', 'CancelMessageMoveTask', 'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch', 'CreateQueue',
  'DeleteMessage', 'DeleteMessageBatch', 'DeleteQueue', 'GetQueueAttributes', 'GetQueueUrl', 'ListDeadLetterSourceQueues',
  'ListMessageMoveTasks', 'ListQueueTags', 'ListQueues', 'PurgeQueue', 'ReceiveMessage', 'RemovePermission', 'SendMessage',
  'SendMessageBatch', 'SetQueueAttributes', 'StartMessageMoveTask', 'TagQueue', 'UntagQueue',
] as const

/** Queues and handles the fuzzer aims at, so requests get past "queue does not exist". */
export interface Fixtures {
  /** queues that are received from: never reconfigured, so a receive never waits long */
  readQueues: string[]
  /** a queue that SetQueueAttributes, PurgeQueue, DeleteQueue and tagging may change */
  victimQueue: string
  receiptHandles: string[]
}

/** A string mutated the way a careless or hostile client would. */
export const mutated = (base: fc.Arbitrary<string>) => fc.tuple(base, fc.nat(), fc.string({ unit: 'binary', maxLength: 8 }), fc.nat(4)).map(
  ([s, at, junk, how]) => {
    const i = s.length ? at % s.length : 0
    return [s.slice(0, i), s.slice(0, i) + junk + s.slice(i), s.toLowerCase(), s + s, s.slice(0, i) + s.slice(i + 1)][how]!
  },
)

/** Text SQS must accept, reject, or survive: control characters, lone surrogates, big strings, numbers in disguise. */
export const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('\uD800', 'a\uDC00b', '\uFFFE', '\u0000', '\r\n', '', ' ', 'AWS.Foo', '..', '.x', 'x.', 'All', '.*', 'foo.*') },
  // names an object already has: a lookup in a plain object finds them where a map would not
  { weight: 2, arbitrary: fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty') },
  { weight: 1, arbitrary: fc.constantFrom('-1', '0', '1', '10', '11', '20', '21', '43200', '43201', '1e309', '-0', 'NaN', '0x10', '1.5', '99999999999999999999') },
  { weight: 1, arbitrary: fc.integer({ min: 257, max: 300_000 }).map((n) => 'x'.repeat(n)) },
)

const plainValue = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null))

/** Any JSON value, nested a few levels. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    plainValue,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 5 }),
  ),
})).value

/** An integer field: in range, out of range, or not an integer at all. */
export const integerish = (min: number, max: number) => fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min, max }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000_000 }), fc.double(), text, fc.boolean(), fc.constant(null)) },
)

/** A receipt handle: a real one, a damaged one, or junk. */
export const receiptHandle = (fixtures: Fixtures) => fc.oneof(
  fc.constantFrom(...fixtures.receiptHandles),
  mutated(fc.constantFrom(...fixtures.receiptHandles)),
  text,
)

export const queueUrl = (fixtures: Fixtures, target: 'read' | 'victim') => fc.oneof(
  { weight: 6, arbitrary: target === 'read' ? fc.constantFrom(...fixtures.readQueues) : fc.constant(fixtures.victimQueue) },
  { weight: 1, arbitrary: mutated(fc.constantFrom(...fixtures.readQueues)) },
  { weight: 1, arbitrary: text },
)

export const batchId = fc.oneof(fc.constantFrom('a', 'b', '1', 'x_-9'), text)

export const messageAttributes = fc.dictionary(
  fc.oneof(fc.constantFrom('a', 'Foo', 'x.y', 'AWS.x', 'amazon.y', '.a', 'a..b'), text),
  fc.record({
    DataType: fc.oneof(fc.constantFrom('String', 'Number', 'Binary', 'String.custom', 'Number.int', 'Foo', ''), text),
    StringValue: fc.option(text, { nil: undefined }),
    BinaryValue: fc.option(fc.oneof(fc.base64String({ maxLength: 40 }), text), { nil: undefined }),
  }, { requiredKeys: ['DataType'] }),
  { maxKeys: 12 },
)

export const queueAttributes = fc.dictionary(
  fc.oneof(fc.constantFrom('VisibilityTimeout', 'DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'RedrivePolicy', 'RedriveAllowPolicy', 'FifoQueue', 'ContentBasedDeduplication', 'Policy', 'All', 'QueueArn'), text),
  fc.oneof(text, fc.constantFrom('{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:x","maxReceiveCount":"2"}', '{}', '{', 'true', 'false')),
  { maxKeys: 6 },
)
