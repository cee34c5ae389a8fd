import { describe, expect, it } from 'vitest'
import { documentItemSize, numberSize, writeUnits } from './item-size.js'

describe('item sizes by the published rules', () => {
  it('counts a number by its significant digits: leading and trailing zeros, sign, point and exponent aside', () => {
    expect(['0', '7', '100', '-0.05', '1e+21'].map(numberSize)).toEqual([2, 2, 2, 2, 2])
    expect(['12', '1.5', '-10.01', '1765000000000'].map(numberSize)).toEqual([2, 2, 3, 3])
    expect(['12345', '1234567890123', '0.000123456'].map(numberSize)).toEqual([4, 8, 4])
  })

  it('adds names and values; undefined attributes are not written', () => {
    expect(documentItemSize({ a: 'xyz', n: 12345, b: new Uint8Array(10), gone: undefined })).toBe(4 + 5 + 11)
    expect(documentItemSize({ m: { k: 'v' }, l: ['x', true] })).toBe(1 + (3 + 1 + 1 + 1) + 1 + (3 + 1 + 1 + 1 + 1))
    expect([0, 1024, 1025, 2048].map(writeUnits)).toEqual([1, 1, 2, 2])
  })
})
