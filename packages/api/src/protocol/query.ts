/** @module protocol/query — unflattens Query-protocol form parameters into an action's AWS JSON 1.0 input shape. */

/** A flattened collection: `Prefix.N` items (list) or `Prefix.N.{Name|Key}` + `Prefix.N.Value` pairs (map). */
type Collection =
  | { kind: 'list'; member: string; entry?: Struct }
  | { kind: 'map'; member: string; key: 'Name' | 'Key'; value?: Struct }

/** The collections of one structure by Query prefix; any other parameter is a scalar member of the same name. */
type Struct = Readonly<Record<string, Collection>>

type Pair = readonly [key: string, value: string]

const list = (member: string, entry?: Struct): Collection => ({ kind: 'list', member, entry })
const map = (member: string, key: 'Name' | 'Key', value?: Struct): Collection => ({ kind: 'map', member, key, value })

const attributeValue: Struct = {
  StringListValue: list('StringListValues'),
  BinaryListValue: list('BinaryListValues'),
}
const messageCollections: Struct = {
  MessageAttribute: map('MessageAttributes', 'Name', attributeValue),
  MessageSystemAttribute: map('MessageSystemAttributes', 'Name', attributeValue),
}
const queueAttributes: Struct = { Attribute: map('Attributes', 'Name') }

/**
 * The collections of each action's input, after the `se_*` serializers of the last Query-speaking client.
 * Actions with only scalar members need no entry.
 */
const collectionsByAction: Readonly<Record<string, Struct>> = {
  AddPermission: { AWSAccountId: list('AWSAccountIds'), ActionName: list('Actions') },
  ChangeMessageVisibilityBatch: { ChangeMessageVisibilityBatchRequestEntry: list('Entries', {}) },
  CreateQueue: { ...queueAttributes, Tag: map('tags', 'Key') },
  DeleteMessageBatch: { DeleteMessageBatchRequestEntry: list('Entries', {}) },
  GetQueueAttributes: { AttributeName: list('AttributeNames') },
  ReceiveMessage: {
    AttributeName: list('AttributeNames'),
    // Newer SDKs send this; the Query-era model predates it.
    MessageSystemAttributeName: list('MessageSystemAttributeNames'),
    MessageAttributeName: list('MessageAttributeNames'),
  },
  SendMessage: messageCollections,
  SendMessageBatch: { SendMessageBatchRequestEntry: list('Entries', messageCollections) },
  SetQueueAttributes: queueAttributes,
  TagQueue: { Tag: map('Tags', 'Key') },
  UntagQueue: { TagKey: list('TagKeys') },
}

/** Integer members at any level; a value that is not an integer stays a string so validation can name it. */
const integerMembers = new Set([
  'DelaySeconds',
  'MaxNumberOfMessages',
  'MaxNumberOfMessagesPerSecond',
  'MaxResults',
  'VisibilityTimeout',
  'WaitTimeSeconds',
])

/** The envelope and the SigV2/SigV4 query-auth fields: the request's, not the action's. */
const droppedParams = new Set([
  'Action',
  'Version',
  'AWSAccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'Timestamp',
  'Expires',
  'SecurityToken',
])

export function queryToInput(action: string, params: Iterable<readonly [string, string]>): Record<string, unknown> {
  const pairs: Pair[] = []
  const seen = new Set<string>()
  for (const [key, value] of params) {
    if (droppedParams.has(key) || key.startsWith('X-Amz-') || seen.has(key)) continue
    // A repeated key keeps its first value, as a servlet's getParameter would.
    seen.add(key)
    pairs.push([key, value])
  }
  return readStruct(Object.hasOwn(collectionsByAction, action) ? collectionsByAction[action]! : {}, pairs)
}

function readStruct(spec: Struct, pairs: readonly Pair[]): Record<string, unknown> {
  const members: [string, unknown][] = []
  for (const [head, rest] of groupByHead(pairs)) {
    const collection = Object.hasOwn(spec, head) ? spec[head] : undefined
    if (collection) {
      members.push([collection.member, readCollection(collection, rest)])
    } else {
      for (const [sub, value] of rest) members.push(sub ? [`${head}.${sub}`, value] : [head, scalar(head, value)])
    }
  }
  // fromEntries defines own properties, so a member named `__proto__` cannot reach the prototype.
  return Object.fromEntries(members)
}

function readCollection(collection: Collection, pairs: readonly Pair[]): unknown {
  const items = byIndex(pairs)
  if (collection.kind === 'map') {
    const entries: [string, unknown][] = []
    for (const item of items) {
      const fields = groupByHead(item)
      const name = valueOf(fields.get(collection.key))
      const value = collection.value
        ? readStruct(collection.value, fields.get('Value') ?? [])
        : valueOf(fields.get('Value'))
      if (name !== undefined && value !== undefined) entries.push([name, value])
    }
    return Object.fromEntries(entries)
  }
  if (collection.entry) return items.map((item) => readStruct(collection.entry!, item))
  // `Prefix=` (no index) is how Query clients send an empty list; `AttributeName=All` is the documented one-item form.
  const bare = valueOf(pairs)
  return [...(bare ? [bare] : []), ...items.flatMap((item) => valueOf(item) ?? [])]
}

/** Splits `A.B.C` keys at the first dot: `A` → [[`B.C`, value]], a bare `A` → [['', value]]. */
function groupByHead(pairs: readonly Pair[]): Map<string, Pair[]> {
  const groups = new Map<string, Pair[]>()
  for (const [key, value] of pairs) {
    const dot = key.indexOf('.')
    const head = dot < 0 ? key : key.slice(0, dot)
    const group = groups.get(head) ?? []
    group.push([dot < 0 ? '' : key.slice(dot + 1), value])
    groups.set(head, group)
  }
  return groups
}

/** The items of `N.…` keys ordered by N; gaps are closed and indices that are not positive integers dropped. */
function byIndex(pairs: readonly Pair[]): Pair[][] {
  return [...groupByHead(pairs)]
    .filter(([index]) => /^\d+$/.test(index) && Number(index) > 0)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, item]) => item)
}

/** The value of the bare key (`''`) in a group, if any. */
function valueOf(pairs: readonly Pair[] | undefined): string | undefined {
  return pairs?.find(([key]) => key === '')?.[1]
}

function scalar(name: string, value: string): string | number {
  const isInteger = /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))
  return integerMembers.has(name) && isInteger ? Number(value) : value
}
