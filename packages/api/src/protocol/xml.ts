/** @module protocol/xml — writes JSON 1.0-shaped SQS outputs and errors as Query-protocol XML documents. */

const NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

/**
 * Output members that Query flattens into repeated elements, by JSON member name. With `key` the member is a map
 * written as `<element><{key}>k</{key}><Value>v</Value></element>`; otherwise a list of `<element>` items.
 */
const FLATTENED: Readonly<Record<string, { element: string | ((action: string) => string); key?: string }>> = {
  Attributes: { element: 'Attribute', key: 'Name' },
  MessageAttributes: { element: 'MessageAttribute', key: 'Name' },
  Tags: { element: 'Tag', key: 'Key' },
  Messages: { element: 'Message' },
  QueueUrls: { element: 'QueueUrl' },
  queueUrls: { element: 'QueueUrl' },
  StringListValues: { element: 'StringListValue' },
  BinaryListValues: { element: 'BinaryListValue' },
  Failed: { element: 'BatchResultErrorEntry' },
  Successful: { element: (action) => `${action}ResultEntry` },
  Results: { element: (action) => `${action}ResultEntry` },
};

/** Actions whose response carries only metadata: SQS sends no `<…Result>` element for them. */
const NO_RESULT = new Set([
  'AddPermission',
  'ChangeMessageVisibility',
  'DeleteMessage',
  'DeleteQueue',
  'PurgeQueue',
  'RemovePermission',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
]);

export function xmlResponse(action: string, output: Record<string, unknown>, requestId: string): string {
  // Query clients read the result element unconditionally, so an empty output still needs `<…Result/>`.
  const result = NO_RESULT.has(action) ? '' : element(`${action}Result`, members(output, action));
  const metadata = element('ResponseMetadata', element('RequestId', escape(requestId)));
  return `<${action}Response xmlns="${NAMESPACE}">${result}${metadata}</${action}Response>`;
}

export function xmlError(
  error: { queryCode: string; message: string; fault: 'Sender' | 'Receiver' },
  requestId: string,
): string {
  const body =
    element('Type', error.fault) +
    element('Code', escape(error.queryCode)) +
    element('Message', escape(error.message)) +
    element('Detail', '');
  return (
    `<?xml version="1.0"?><ErrorResponse xmlns="${NAMESPACE}">` +
    `${element('Error', body)}${element('RequestId', escape(requestId))}</ErrorResponse>`
  );
}

function members(struct: Record<string, unknown>, action: string): string {
  return Object.entries(struct)
    .map(([name, value]) => member(name, value, action))
    .join('');
}

function member(name: string, value: unknown, action: string): string {
  if (value === undefined || value === null) return '';
  const flattened = Object.hasOwn(FLATTENED, name) ? FLATTENED[name] : undefined;
  if (!flattened) {
    const content = typeof value === 'object' ? members(value as Record<string, unknown>, action) : escape(String(value));
    return element(name, content);
  }
  const { element: tag, key } = flattened;
  const item = typeof tag === 'string' ? tag : tag(action);
  if (!key) return (value as unknown[]).map((v) => member(item, v, action)).join('');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => element(item, element(key, escape(k)) + member('Value', v, action)))
    .join('');
}

function element(name: string, content: string): string {
  return content ? `<${name}>${content}</${name}>` : `<${name}/>`;
}

/** SQS's escaping; `\r` must be a character reference because XML parsers turn a raw CR into LF. */
function escape(text: string): string {
  return text.replace(/[&<>"\r]/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#xD;' };
