import { describe, expect, it } from 'vitest'
import { md5OfBody, md5OfMessageAttributes } from './md5.js'
import type { MessageAttributes } from './message-attributes.js'

// Vectors from docs/reference/sqs.md §b.1; the UTF-8 ones were checked with `printf … | md5sum`.
const foo: MessageAttributes = { Foo: { DataType: 'String', StringValue: 'Bar' } }
const attrib1: MessageAttributes = { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } }
const number: MessageAttributes = {
  customNumberTypeAttrib: { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' },
}
const binary: MessageAttributes = {
  binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!').toString('base64') },
}

describe('md5OfBody', () => {
  it('matches the recorded AWS vector', () => {
    expect(md5OfBody('msg')).toBe('6e2baaf3b97dbeef01c0043275f9a0e7')
  })

  it('hashes UTF-8 bytes (not UTF-16 or Latin-1), keeping \\r', () => {
    expect(md5OfBody('\u00e9')).toBe('66ddcd97cfdeabb2f6fb8a999b4bc76f')
    expect(md5OfBody('\u{1F600}\r\n')).toBe('1aa22fca44870d295319d82f7029b1a9')
  })
})

describe('md5OfMessageAttributes', () => {
  it('matches every vector in docs/reference/sqs.md §b.1', () => {
    expect(md5OfMessageAttributes(foo)).toBe('ae7155c6026991b6d54b11589678bf9c')
    expect(md5OfMessageAttributes(attrib1)).toBe('19e27d4e946b072f3f58da80d94fd778')
    expect(md5OfMessageAttributes(number)).toBe('9fe1b90bbd9965bdf77bac517c7d2495')
    expect(md5OfMessageAttributes(binary)).toBe('31a92b15d92f8db860eda32aceb656c3')
    expect(md5OfMessageAttributes({ ...attrib1, ...number, ...binary })).toBe('c932db14a896c663f83c260297d594ff')
  })

  it('sorts by name, whatever the insertion order', () => {
    expect(md5OfMessageAttributes({ ...binary, ...number, ...attrib1 })).toBe('c932db14a896c663f83c260297d594ff')
  })

  it('is undefined when there are no attributes', () => {
    expect(md5OfMessageAttributes({})).toBeUndefined()
  })

  it('distinguishes a string from the same bytes sent as binary (transport type byte)', () => {
    const asString = md5OfMessageAttributes({ a: { DataType: 'String', StringValue: 'Bar' } })
    const asBinary = md5OfMessageAttributes({ a: { DataType: 'String', BinaryValue: Buffer.from('Bar').toString('base64') } })
    expect(asString).not.toBe(asBinary)
  })
})
