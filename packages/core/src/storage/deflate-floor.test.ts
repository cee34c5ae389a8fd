import { randomBytes, randomInt } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { mightDeflateTo } from './deflate-floor.js'

const printable = (length: number) => Buffer.from(Array.from(randomBytes(length), (b) => 32 + (b % 95)))
const base64 = (length: number) => Buffer.from(randomBytes(length).toString('base64').slice(0, length))
const hex = (length: number) => Buffer.from(randomBytes(length).toString('hex').slice(0, length))
const json = (length: number) => {
  let text = '['
  for (let i = 0; text.length < length; i++) text += `{"sku":"SKU-${randomInt(1000)}","qty":${randomInt(9)},"note":"${randomBytes(4).toString('hex')}"},`
  return Buffer.from(text.slice(0, length))
}
/** A random piece repeated: high entropy byte by byte, yet deflate's back-references take nearly all of it. */
const repeatedPiece = (length: number) => Buffer.from(printable(randomInt(3, 200)).toString('latin1').repeat(length).slice(0, length), 'latin1')
/** Random text with one long repeat in the middle. */
const withRepeat = (length: number) => {
  const head = printable(Math.floor(length / 2))
  return Buffer.concat([head, head.subarray(0, Math.floor(length / 4)), printable(length - head.length - Math.floor(length / 4))])
}
const kinds = { printable, base64, hex, json, repeatedPiece, withRepeat, bytes: (length: number) => randomBytes(length), same: (length: number) => Buffer.alloc(length, 'a') }

describe('the deflate floor', () => {
  it('never says deflate cannot make what it makes, for bodies of every kind and size up to 8 KiB', () => {
    for (const [kind, make] of Object.entries(kinds)) {
      for (let i = 0; i < 60; i++) {
        const bytes = make(randomInt(3, 8193))
        expect(mightDeflateTo(bytes, deflateRawSync(bytes).length), `${kind}, ${bytes.length} bytes`).toBe(true)
      }
    }
  })

  it('rules out nine tenths of what deflate makes of text that hardly compresses, and nothing for text that compresses', () => {
    for (const make of [printable, base64]) {
      const bytes = make(1024)
      expect(mightDeflateTo(bytes, Math.floor(0.9 * deflateRawSync(bytes).length))).toBe(false)
    }
    for (const make of [json, repeatedPiece, kinds.same, hex]) {
      const bytes = make(1024)
      expect(mightDeflateTo(bytes, deflateRawSync(bytes).length)).toBe(true)
    }
    expect(mightDeflateTo(printable(8193), 0)).toBe(true) // past one deflate block: nothing ruled out
  })
})
