import { describe, expect, it } from 'vitest'
import { SqsError } from '../errors.js'
import {
  checkDelaySeconds,
  checkFifoId,
  checkMessageAttributes,
  checkMessageBody,
  checkMessageSize,
  checkMessageSystemAttributes,
  messageSize,
} from './message-validation.js'

const INVALID_CONTENTS =
  'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF'

/** Runs `fn` and returns the SqsError's wire facts, failing if it does not throw one. */
function caught(fn: () => unknown) {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(SqsError)
    const { queryCode, status, shape, message } = error as SqsError
    return { queryCode, status, shape, message }
  }
  throw new Error('expected an SqsError')
}

const invalidParameter = (message: string) => ({
  queryCode: 'InvalidParameterValue', status: 400, shape: 'InvalidParameterValueException', message,
})
const invalidContents = { queryCode: 'InvalidMessageContents', status: 400, shape: 'InvalidMessageContents', message: INVALID_CONTENTS }
const invalidValueCharacters = invalidParameter(INVALID_CONTENTS)

describe('checkMessageBody', () => {
  it('requires a non-empty body', () => {
    const missing = { queryCode: 'MissingParameter', status: 400, shape: 'MissingRequiredParameterException',
      message: 'The request must contain the parameter MessageBody.' }
    expect(caught(() => checkMessageBody(undefined))).toEqual(missing)
    expect(caught(() => checkMessageBody(''))).toEqual(missing)
  })

  it('accepts tab, newlines, carriage returns and every allowed range', () => {
    for (const body of ['a\tb\nc\rd', ' ', '\uD7FF', '\uE000', '\uFFFD', '\u{10000}', '\u{1F600}', '\u{10FFFF}', 'héllo wörld']) {
      expect(() => checkMessageBody(body)).not.toThrow()
    }
  })

  it('rejects control characters, U+FFFE/U+FFFF and lone surrogates with InvalidMessageContents', () => {
    for (const body of ['a\u0000', '\u0001', '\u0008', '\u001F', '\uFFFE', '\uFFFF', 'x\uD800', '\uDC00y', '\uDFFF\uD800']) {
      expect(caught(() => checkMessageBody(body))).toEqual(invalidContents)
    }
  })
})

describe('checkMessageAttributes', () => {
  const string = (StringValue: string, DataType = 'String') => ({ DataType, StringValue })

  it('returns {} for no attributes', () => {
    expect(checkMessageAttributes(undefined)).toEqual({})
    expect(checkMessageAttributes({})).toEqual({})
  })

  it('normalises to DataType and the one value field, re-encoding binary canonically', () => {
    expect(checkMessageAttributes({
      s: { DataType: 'String', StringValue: 'v', BinaryValue: 'AAAA', StringListValues: [] },
      n: { DataType: 'Number.float', StringValue: '1.5' },
      b: { DataType: 'Binary.png', BinaryValue: 'AQI=', StringValue: 'ignored' },
    })).toEqual({
      s: { DataType: 'String', StringValue: 'v' },
      n: { DataType: 'Number.float', StringValue: '1.5' },
      b: { DataType: 'Binary.png', BinaryValue: 'AQI=' },
    })
    // "AQJ=" has non-zero padding bits: it decodes to the same bytes as "AQI=".
    expect(checkMessageAttributes({ b: { DataType: 'Binary', BinaryValue: 'AQJ=' } })).toEqual({ b: { DataType: 'Binary', BinaryValue: 'AQI=' } })
  })

  it('allows at most 10 attributes', () => {
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, string('v')]))
    expect(Object.keys(checkMessageAttributes(ten))).toHaveLength(10)
    expect(caught(() => checkMessageAttributes({ ...ten, a10: string('v') })))
      .toEqual(invalidParameter('Number of message attributes [11] exceeds the allowed maximum [10].'))
  })

  it('checks names', () => {
    const charset = 'The attribute name can contain alphanumeric characters, underscore (_), hyphen (-), and period (.).'
    const periods = "The attribute name can't start or end with a period (.), or have multiple periods in succession."
    const reserved = "The attribute name can't start with AWS. or Amazon. (or any variations in casing)."
    const cases: [string, string][] = [
      ['', charset], ['a b', charset], ['a/b', charset], ['a§b', charset], ['a!', charset],
      ['.a', periods], ['a.', periods], ['a..b', periods],
      ['AWS.x', reserved], ['aws.x', reserved], ['Amazon.x', reserved], ['aMaZoN.x', reserved],
      ['a'.repeat(257), 'The attribute name can be at most 256 characters long.'],
    ]
    for (const [name, reason] of cases) {
      expect(caught(() => checkMessageAttributes({ [name]: string('v') })))
        .toEqual(invalidParameter(`Message (user) attribute name '${name}' is invalid. ${reason}`))
    }
    for (const name of ['a', 'A-z_0.9', 'AWSx', 'Amazon', 'x.AWS.y', 'a'.repeat(256), 'attr.1øßä', 'é', 'Größe']) {
      expect(() => checkMessageAttributes({ [name]: string('v') })).not.toThrow()
    }
  })

  it('checks data types', () => {
    const prefixes = invalidParameter("The type of message (user) attribute 'a' is invalid. You must use only the following supported type prefixes: Binary, Number, String.")
    for (const DataType of ['string', 'Strings', 'Number.', 'Binary!', 'Foo', 'String.a b']) {
      expect(caught(() => checkMessageAttributes({ a: { DataType, StringValue: 'v' } }))).toEqual(prefixes)
    }
    for (const raw of [{ StringValue: 'v' }, { DataType: '', StringValue: 'v' }, 'v', null]) {
      expect(caught(() => checkMessageAttributes({ a: raw })))
        .toEqual(invalidParameter("Message (user) attribute 'a' must contain a non-empty message attribute type."))
    }
    expect(caught(() => checkMessageAttributes({ a: string('v', `String.${'x'.repeat(250)}`) })))
      .toEqual(invalidParameter("The type of message (user) attribute 'a' is invalid. It can be at most 256 characters long."))
    expect(() => checkMessageAttributes({ a: string('v', `String.${'x'.repeat(249)}`) })).not.toThrow()
    expect(() => checkMessageAttributes({ a: string('v', 'String.my_label-1.v2') })).not.toThrow()
  })

  it('requires a non-empty value of the right kind', () => {
    const empty = (type: string) => invalidParameter(`Message (user) attribute 'a' must contain a non-empty value of type '${type}'.`)
    expect(caught(() => checkMessageAttributes({ a: string('') }))).toEqual(empty('String'))
    expect(caught(() => checkMessageAttributes({ a: { DataType: 'String.x' } }))).toEqual(empty('String'))
    expect(caught(() => checkMessageAttributes({ a: { DataType: 'Number', StringValue: '' } }))).toEqual(empty('Number'))
    expect(caught(() => checkMessageAttributes({ a: { DataType: 'Binary', StringValue: 'AAAA' } }))).toEqual(empty('Binary'))
    expect(caught(() => checkMessageAttributes({ a: { DataType: 'Binary', BinaryValue: '' } }))).toEqual(empty('Binary'))
    expect(caught(() => checkMessageAttributes({ a: { DataType: 'String', BinaryValue: 'AAAA' } }))).toEqual(empty('String'))
  })

  it('requires valid base64 for binary values', () => {
    for (const BinaryValue of ['AAA', 'A===', '****', 'AA AA', 'AAA-']) {
      expect(caught(() => checkMessageAttributes({ a: { DataType: 'Binary', BinaryValue } })))
        .toEqual(invalidParameter("Message (user) attribute 'a' must contain a valid base64-encoded BinaryValue."))
    }
  })

  it('rejects list values as not implemented, but lets empty lists through', () => {
    for (const list of ['StringListValues', 'BinaryListValues']) {
      expect(caught(() => checkMessageAttributes({ a: { DataType: 'String', StringValue: 'v', [list]: ['x'] } })))
        .toEqual(invalidParameter(`Message (user) attribute 'a' is invalid. Reason: ${list} is not implemented. Reserved for future use.`))
      expect(() => checkMessageAttributes({ a: { DataType: 'String', StringValue: 'v', [list]: [] } })).not.toThrow()
    }
  })

  it('applies the body character rules to string values, answering InvalidParameterValue', () => {
    expect(caught(() => checkMessageAttributes({ a: string('x\u0000') }))).toEqual(invalidValueCharacters)
    expect(caught(() => checkMessageAttributes({ a: string('\uD83D') }))).toEqual(invalidValueCharacters)
    expect(() => checkMessageAttributes({ a: string('tab\there \u{1F600}') })).not.toThrow()
  })

  it('accepts numbers of up to 38 significant digits within 10^-128 … 10^+126', () => {
    const valid = ['0', '-0', '+7', '1.5', '-1.5e3', '.5', '5.', '00012.3400', '4563442423554324324264524243.32543234',
      '9'.repeat(38), `1${'0'.repeat(100)}`, '1e126', '1.000e126', '9.99e125', '1e-128', '-1E-128', `0.${'0'.repeat(127)}1`, '0e999']
    for (const value of valid) expect(() => checkMessageAttributes({ a: string(value, 'Number') }), value).not.toThrow()
    const invalid = ['abc', '1,5', '1e', 'e5', '.', '-', '1.2.3', ' 1', '0x10', 'NaN', 'Infinity', '9'.repeat(39),
      `1.${'0'.repeat(37)}1`, '1.1e126', '2e126', '1e127', '9e-129', `0.${'0'.repeat(128)}1`]
    for (const value of invalid) {
      expect(caught(() => checkMessageAttributes({ a: string(value, 'Number.int') })), value)
        .toEqual(invalidParameter("Could not cast message attribute 'a' value to number."))
    }
  })
})

describe('checkMessageSystemAttributes', () => {
  const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'

  it('accepts only AWSTraceHeader as a non-empty String, normalised', () => {
    expect(checkMessageSystemAttributes(undefined)).toEqual({})
    expect(checkMessageSystemAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: header, BinaryValue: 'AAAA' } }))
      .toEqual({ AWSTraceHeader: { DataType: 'String', StringValue: header } })
  })

  it('rejects other names, types and empty values', () => {
    expect(caught(() => checkMessageSystemAttributes({ SenderId: { DataType: 'String', StringValue: 'x' } })))
      .toEqual(invalidParameter("Message system attribute name 'SenderId' is invalid. The only supported message system attribute is AWSTraceHeader."))
    for (const DataType of ['Binary', 'Number', 'String.x', undefined]) {
      expect(caught(() => checkMessageSystemAttributes({ AWSTraceHeader: { DataType, StringValue: header } })))
        .toEqual(invalidParameter("The type of message system attribute 'AWSTraceHeader' is invalid. You must use the type String."))
    }
    expect(caught(() => checkMessageSystemAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: '' } })))
      .toEqual(invalidParameter("Message system attribute 'AWSTraceHeader' must contain a non-empty value of type 'String'."))
    expect(caught(() => checkMessageSystemAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: '\u0007' } })))
      .toEqual(invalidValueCharacters)
  })
})

describe('messageSize and checkMessageSize', () => {
  it('counts UTF-8 body bytes plus each attribute name, type and (decoded) value', () => {
    expect(messageSize('h\u00e9\u{1F600}', {})).toBe(1 + 2 + 4)
    expect(messageSize('body', {
      n\u00e4me: { DataType: 'String', StringValue: '\u00e9' },
      bin: { DataType: 'Binary.x', BinaryValue: Buffer.from([1, 2, 3, 4, 5]).toString('base64') },
    })).toBe(4 + (5 + 6 + 2) + (3 + 8 + 5))
  })

  it('allows exactly the maximum and rejects one byte more', () => {
    expect(() => checkMessageSize(1024, 1024)).not.toThrow()
    expect(caught(() => checkMessageSize(1_048_577, 1_048_576)))
      .toEqual(invalidParameter('One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.'))
  })
})

describe('checkFifoId', () => {
  const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'

  it('accepts 1-128 letters, digits and the 32 ASCII punctuation characters', () => {
    expect(punctuation).toHaveLength(32)
    for (const value of ['a', 'Group-1', punctuation, 'x'.repeat(128)]) {
      expect(() => checkFifoId('MessageGroupId', value)).not.toThrow()
    }
  })

  it("rejects anything else with SQS's message", () => {
    expect(caught(() => checkFifoId('MessageGroupId', 'group 123'))).toEqual(invalidParameter(
      'Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.'))
    for (const name of ['MessageGroupId', 'MessageDeduplicationId', 'ReceiveRequestAttemptId'] as const) {
      for (const value of ['', 'x'.repeat(129), 'caf\u00e9', 'a\tb', '\u{1F600}']) {
        expect(caught(() => checkFifoId(name, value))).toEqual(invalidParameter(
          `Value ${value} for parameter ${name} is invalid. Reason: ${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`))
      }
    }
  })
})

describe('checkDelaySeconds', () => {
  it('accepts nothing or an integer 0-900', () => {
    for (const value of [undefined, 0, 1, 900]) expect(() => checkDelaySeconds(value)).not.toThrow()
  })

  it('rejects the rest', () => {
    for (const value of [-1, 901, 1.5, Number.NaN]) {
      expect(caught(() => checkDelaySeconds(value))).toEqual(invalidParameter(
        `Value ${value} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`))
    }
  })
})
