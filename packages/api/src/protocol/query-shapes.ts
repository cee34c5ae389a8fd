/**
 * @module protocol/query-shapes — how a Query answer lays out an action's output, as data both of its renderings
 * read: XML (protocol/xml) and JSON for callers whose Accept asks for it (protocol/query-json). docs/reference/sqs.md §d.3.
 */

/** How Query writes one output member that JSON 1.0 writes differently, by its JSON 1.0 name. */
export interface QueryMember {
  /**
   * XML: the member is flattened into repeated `<element>` items. With `key` it is a map, each entry written as
   * `<element><{key}>k</{key}><Value>v</Value></element>`; otherwise a list.
   */
  element: string | ((action: string) => string)
  key?: string
  /** JSON: the name SQS writes the member under, where recorded answers show one other than JSON 1.0's. */
  json?: string
}

export const queryMembers: Readonly<Record<string, QueryMember>> = {
  Attributes: { element: 'Attribute', key: 'Name' },
  MessageAttributes: { element: 'MessageAttribute', key: 'Name' },
  Tags: { element: 'Tag', key: 'Key' },
  Messages: { element: 'Message', json: 'messages' },
  QueueUrls: { element: 'QueueUrl', json: 'queueUrls' },
  queueUrls: { element: 'QueueUrl' },
  StringListValues: { element: 'StringListValue' },
  BinaryListValues: { element: 'BinaryListValue' },
  Failed: { element: 'BatchResultErrorEntry' },
  Successful: { element: (action) => `${action}ResultEntry` },
  Results: { element: (action) => `${action}ResultEntry` },
}

/** Actions whose response carries only metadata: SQS sends no `…Result` for them. */
export const actionsWithoutResult: ReadonlySet<string> = new Set([
  'AddPermission',
  'ChangeMessageVisibility',
  'DeleteMessage',
  'DeleteQueue',
  'PurgeQueue',
  'RemovePermission',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
])

/** What a Query error says, in either rendering. */
export interface QueryError {
  queryCode: string
  message: string
  fault: 'Sender' | 'Receiver'
}
