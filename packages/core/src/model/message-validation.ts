/** @module model/message-validation — SendMessage's checks on bodies, attributes, sizes, FIFO ids and delays, with SQS's messages. */
import { InvalidMessageContents, InvalidParameterValue, MessageTooLong, MissingParameter } from '../errors.js'
import { limits } from '../limits.js'
import type { MessageAttributes, MessageAttributeValue } from './message-attributes.js'

/** Anything outside SQS's allowed set; the `u` flag makes a lone surrogate one code point, so it is caught too. */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

const invalid = (message: string) => new InvalidParameterValue(message)

/**
 * A body with a character outside the set is InvalidMessageContents; an attribute's string value, the same text as
 * InvalidParameterValue (docs/reference/sqs.md §c).
 */
function checkCharacters(text: string, asParameter = false) {
  if (!INVALID_CHARACTER.test(text)) return
  const error = new InvalidMessageContents()
  throw asParameter ? invalid(error.message) : error
}

export function checkMessageBody(body: string | undefined): asserts body is string {
  if (body === undefined || body === '') throw new MissingParameter('MessageBody')
  checkCharacters(body)
}

/** "Alphanumeric" as SQS reads it: any Unicode letter or decimal digit (`attr.1øßä` is accepted), not only ASCII. */
const NAME_CHARACTERS = /^[\p{L}\p{Nd}_.-]+$/u
const RESERVED_NAME = /^(aws|amazon)\./i
/** `String`, `Number` or `Binary`, optionally followed by a custom label such as `Number.float`. */
const DATA_TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]+)?$/
/** RFC 4648 base64 with padding: Buffer.from would silently skip anything else. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const NUMBER = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

function checkAttributeName(name: string) {
  const reject = (reason: string): never => {
    throw invalid(`Message (user) attribute name '${name}' is invalid. ${reason}`)
  }
  if (!NAME_CHARACTERS.test(name)) {
    reject('The attribute name can contain alphanumeric characters, underscore (_), hyphen (-), and period (.).')
  }
  if (name.length > limits.attributeNameLength) reject(`The attribute name can be at most ${limits.attributeNameLength} characters long.`)
  if (name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
    reject("The attribute name can't start or end with a period (.), or have multiple periods in succession.")
  }
  if (RESERVED_NAME.test(name)) reject("The attribute name can't start with AWS. or Amazon. (or any variations in casing).")
}

/**
 * Whether a Number attribute's text fits SQS's range: up to 38 significant digits (leading and trailing zeros
 * do not count, as in DynamoDB), magnitude 0 or 10^-128 … 10^+126.
 */
function isSqsNumber(text: string): boolean {
  const match = NUMBER.exec(text)
  if (!match) return false
  const [, whole = '', fraction = '', exponent = '0'] = match
  if (whole + fraction === '') return false
  const digits = (whole + fraction).replace(/^0+/, '')
  if (digits === '') return true
  const significant = digits.replace(/0+$/, '')
  if (significant.length > 38) return false
  // Decimal exponent of the leading significant digit.
  const magnitude = digits.length - 1 + Number(exponent) - fraction.length
  return magnitude >= -128 && (magnitude < 126 || (magnitude === 126 && significant === '1'))
}

/** Lists are modelled but "Not implemented. Reserved for future use."; an empty one carries nothing, so it passes. */
const hasList = (value: unknown) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)

function checkAttribute(name: string, raw: unknown): MessageAttributeValue {
  checkAttributeName(name)
  const value = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  for (const list of ['StringListValues', 'BinaryListValues']) {
    if (hasList(value[list])) {
      throw invalid(`Message (user) attribute '${name}' is invalid. Reason: ${list} is not implemented. Reserved for future use.`)
    }
  }
  const { DataType: dataType, StringValue: stringValue, BinaryValue: binaryValue } = value
  if (typeof dataType !== 'string' || dataType === '') {
    throw invalid(`Message (user) attribute '${name}' must contain a non-empty message attribute type.`)
  }
  if (dataType.length > limits.attributeTypeLength) {
    throw invalid(`The type of message (user) attribute '${name}' is invalid. It can be at most ${limits.attributeTypeLength} characters long.`)
  }
  const base = DATA_TYPE.exec(dataType)?.[1]
  if (base === undefined) {
    throw invalid(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`)
  }
  const empty = () => invalid(`Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`)
  if (base === 'Binary') {
    if (typeof binaryValue !== 'string' || binaryValue === '') throw empty()
    if (!BASE64.test(binaryValue)) throw invalid(`Message (user) attribute '${name}' must contain a valid base64-encoded BinaryValue.`)
    // Re-encoding makes the stored value, its size and its MD5 canonical.
    return { DataType: dataType, BinaryValue: Buffer.from(binaryValue, 'base64').toString('base64') }
  }
  if (typeof stringValue !== 'string' || stringValue === '') throw empty()
  checkCharacters(stringValue, true)
  if (base === 'Number' && !isSqsNumber(stringValue)) {
    throw invalid(`Could not cast message attribute '${name}' value to number.`)
  }
  return { DataType: dataType, StringValue: stringValue }
}

/** Checks message (user) attributes and returns them normalised: `DataType` plus the one value field. */
export function checkMessageAttributes(attributes: Record<string, unknown> | undefined): MessageAttributes {
  const entries = Object.entries(attributes ?? {})
  if (entries.length > limits.messageAttributes) {
    throw invalid(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${limits.messageAttributes}].`)
  }
  return Object.fromEntries(entries.map(([name, raw]) => [name, checkAttribute(name, raw)]))
}

/** SendMessage accepts a single message system attribute, the X-Ray `AWSTraceHeader` (a String). */
export function checkMessageSystemAttributes(attributes: Record<string, unknown> | undefined): MessageAttributes {
  const out: MessageAttributes = {}
  for (const [name, raw] of Object.entries(attributes ?? {})) {
    if (name !== 'AWSTraceHeader') {
      throw invalid(`Message system attribute name '${name}' is invalid. The only supported message system attribute is AWSTraceHeader.`)
    }
    const value = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
    if (value.DataType !== 'String') {
      throw invalid(`The type of message system attribute '${name}' is invalid. You must use the type String.`)
    }
    if (typeof value.StringValue !== 'string' || value.StringValue === '') {
      throw invalid(`Message system attribute '${name}' must contain a non-empty value of type 'String'.`)
    }
    checkCharacters(value.StringValue, true)
    out[name] = { DataType: 'String', StringValue: value.StringValue }
  }
  return out
}

/**
 * Bytes counted toward MaximumMessageSize: the body and each user attribute's name, type and value (decoded).
 * Takes attributes as sent, before validation, because a batch's total is checked before its entries are.
 */
export function messageSize(body: string, attributes: Record<string, Partial<MessageAttributeValue>>): number {
  let size = Buffer.byteLength(body, 'utf8')
  for (const [name, { DataType, StringValue, BinaryValue }] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(DataType ?? '', 'utf8')
    size += StringValue !== undefined ? Buffer.byteLength(StringValue, 'utf8') : Buffer.byteLength(BinaryValue ?? '', 'base64')
  }
  return size
}

export function checkMessageSize(size: number, maximum: number) {
  if (size > maximum) throw new MessageTooLong(maximum)
}

/** Printable ASCII without space (0x21–0x7E) is exactly the letters, digits and 32 punctuation characters SQS allows. */
const FIFO_ID = new RegExp(`^[\\x21-\\x7E]{1,${limits.fifoIdLength}}$`)

export function checkFifoId(name: 'MessageGroupId' | 'MessageDeduplicationId' | 'ReceiveRequestAttemptId', value: string) {
  if (!FIFO_ID.test(value)) {
    throw invalid(`Value ${value} for parameter ${name} is invalid. Reason: ${name} can only include alphanumeric and punctuation characters. 1 to ${limits.fifoIdLength} in length.`)
  }
}

export function checkDelaySeconds(value: number | undefined) {
  if (value === undefined) return
  if (!Number.isInteger(value) || value < 0 || value > limits.maxDelaySeconds) {
    throw invalid(`Value ${value} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= ${limits.maxDelaySeconds}.`)
  }
}
