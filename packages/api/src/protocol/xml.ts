/** @module protocol/xml — writes JSON 1.0-shaped SQS outputs and errors as Query-protocol XML documents. */
import { actionsWithoutResult, queryMembers, type QueryError } from './query-shapes.js'

const namespace = 'http://queue.amazonaws.com/doc/2012-11-05/'

export function xmlResponse(action: string, output: Record<string, unknown>, requestId: string): string {
  // Query clients read the result element unconditionally, so an empty output still needs `<…Result/>`.
  const result = actionsWithoutResult.has(action) ? '' : element(`${action}Result`, members(output, action))
  const metadata = element('ResponseMetadata', element('RequestId', escape(requestId)))
  return `<${action}Response xmlns="${namespace}">${result}${metadata}</${action}Response>`
}

export function xmlError(error: QueryError, requestId: string): string {
  const body =
    element('Type', error.fault) +
    element('Code', escape(error.queryCode)) +
    element('Message', escape(error.message)) +
    element('Detail', '')
  return (
    `<?xml version="1.0"?><ErrorResponse xmlns="${namespace}">` +
    `${element('Error', body)}${element('RequestId', escape(requestId))}</ErrorResponse>`
  )
}

function members(struct: Record<string, unknown>, action: string): string {
  return Object.entries(struct)
    .map(([name, value]) => member(name, value, action))
    .join('')
}

/** Flattened collections repeat their item element in place; every other member nests under its own name. */
function member(name: string, value: unknown, action: string): string {
  if (value === undefined || value === null) return ''
  const flattened = Object.hasOwn(queryMembers, name) ? queryMembers[name] : undefined
  if (!flattened) return element(name, content(value, action))
  const { element: tag, key } = flattened
  const items = key
    ? Object.entries(value as Record<string, unknown>).map(
        ([k, v]) => element(key, escape(k)) + member('Value', v, action),
      )
    : (value as unknown[]).map((item) => content(item, action))
  const itemName = typeof tag === 'string' ? tag : tag(action)
  return items.map((item) => element(itemName, item)).join('')
}

function content(value: unknown, action: string): string {
  return typeof value === 'object' && value !== null
    ? members(value as Record<string, unknown>, action)
    : escape(String(value))
}

function element(name: string, inner: string): string {
  return inner ? `<${name}>${inner}</${name}>` : `<${name}/>`
}

const escapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\r': '&#xD;',
}

/**
 * What must be escaped (SQS's escaping), and what XML 1.0 cannot carry at all, not even as a character reference:
 * control characters, U+FFFE/U+FFFF and lone surrogates (`u` makes each one code point).
 */
const special = /[&<>"\r]|[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/**
 * SQS's escaping; `\r` must be a character reference because XML parsers turn a raw CR into LF. A character XML
 * 1.0 forbids becomes U+FFFD: validation keeps them out of what DQS stores, but one that got in (stored before a
 * check existed, or quoted in an error message) must not make the whole document unreadable.
 */
function escape(text: string): string {
  return text.replace(special, (c) => escapes[c] ?? '\uFFFD')
}
