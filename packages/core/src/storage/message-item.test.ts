import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Message, MessageState } from '../model/message.js'
import { documentItemSize, writeUnits } from './item-size.js'
import { decodeMessage, encodeMessage, encodeStandardMessage, type MessageItem } from './message-item.js'

const state: MessageState = {
  pk: 'q-0123456789abcdef#1#7', sk: '1765000000000abcdefgh', visibleAt: 1_765_000_000_000, token: 'tok-0123456789',
  receiveCount: 0, firstReceiveAt: 0, expiresAt: 1_765_345_600_000,
}

const message = (body: string, extra: Partial<Message> = {}): Message => ({
  messageId: '2b5a6f0e-8c1d-4d7a-9e3f-1a2b3c4d5e6f', body, attributes: {}, systemAttributes: {},
  md5OfBody: '0123456789abcdef0123456789abcdef', sentAt: 1_765_000_000_000, senderId: 'AIDAEXAMPLE', ...extra,
})

/** Order events: JSON of the kind queues carry, `length` characters. */
function json(length: number) {
  let text = '['
  for (let i = 0; text.length < length; i++) text += `{"sku":"SKU-${1000 + (i % 50)}","qty":${(i % 3) + 1},"currency":"EUR"},`
  return text.slice(0, length)
}

/** Random printable ASCII: deflate keeps ~85 % of it. */
const random = (length: number) => Array.from(randomBytes(length), (b) => String.fromCharCode(32 + (b % 95))).join('')

/** The item's write units, and what it would bill with its body as text. */
function units(item: MessageItem, body: string) {
  const { z, zd, ...rest } = item
  return { stored: writeUnits(documentItemSize(item)), asText: writeUnits(documentItemSize({ ...rest, b: body })) }
}

describe('a message item', () => {
  it('keeps a body as text when deflating it would not bill fewer write units', () => {
    for (const body of [random(1024), json(500), 'x']) {
      const { item, chunks } = encodeStandardMessage(message(body), state)
      expect(item.b, `${body.length} characters`).toBe(body)
      expect(item.z).toBeUndefined()
      expect(chunks).toEqual([])
      expect(decodeMessage(item as never).body).toBe(body)
    }
  })

  it('deflates a body when the item then bills fewer write units: 1 KiB of JSON fits in 1 KB', () => {
    for (const body of [json(1024), json(3000), json(100_000)]) {
      const { item } = encodeStandardMessage(message(body), state)
      expect(item.zd, `${body.length} characters`).toBe(1)
      expect(item.b).toBeUndefined()
      const { stored, asText } = units(item, body)
      expect(stored).toBeLessThan(asText)
      expect(decodeMessage(item as never).body).toBe(body)
    }
    expect(units(encodeStandardMessage(message(json(1024)), state).item, json(1024)).stored).toBe(1)
  })

  it('counts the attributes and the `ready` index entry in the item it sizes', () => {
    // 1 KiB of text near the boundary: with the attributes' JSON the plain item passes 2 KB, deflated it does not
    const body = json(1024)
    const attributes = { note: { DataType: 'String', StringValue: randomBytes(450).toString('hex') } }
    const { item } = encodeMessage(message(body, { attributes, md5OfMessageAttributes: 'f'.repeat(32) }), state)
    expect(item.m).toContain(attributes.note.StringValue)
    expect(item.zd).toBe(1)
    const { stored, asText } = units(item, body)
    expect([stored, asText]).toEqual([2, 3])
  })

  it('stores a body that fits one item only deflated inline, and packs into chunks one that does not fit either way', () => {
    const compressible = json(600_000)
    const inline = encodeMessage(message(compressible), state)
    expect(inline.chunks).toEqual([])
    expect(inline.item.zd).toBe(1)
    expect(decodeMessage(inline.item as never).body).toBe(compressible)

    const incompressible = randomBytes(675_000).toString('base64')
    const packed = encodeMessage(message(incompressible), state)
    expect(packed.item.pm).toBe(1)
    expect(packed.chunks.length).toBeGreaterThan(1)
    expect(decodeMessage(packed.item as never, packed.chunks.map((chunk) => chunk.c)).body).toBe(incompressible)
  })
})
