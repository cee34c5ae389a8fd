import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ReceiptHandleIsInvalid } from '../errors.js'
import { decodeReceiptHandle, encodeReceiptHandle, type ReceiptFields } from './receipt-handle.js'

const key = 'test-signing-key'
// Realistic sizes: 12-char queue id, 30-char partition, 40-char sort key, 8-char token.
const fields: ReceiptFields = {
  q: 'AbCdEfGhIjKl',
  p: 'AbCdEfGhIjKl#12#7'.padEnd(30, 'x'),
  s: '1767225600000#9f0c6a2e-4b1d-4c3e-9a7b-1234',
  t: 'Zx9_Yw-1',
  v: 1_767_225_630_000,
  r: 1_767_225_600_000,
}

function expectInvalid(handle: string, signingKey = key) {
  let error: unknown
  try {
    decodeReceiptHandle(handle, signingKey)
  } catch (caught) {
    error = caught
  }
  expect(error).toBeInstanceOf(ReceiptHandleIsInvalid)
  expect((error as ReceiptHandleIsInvalid).message).toBe(`The input receipt handle "${handle}" is not a valid receipt handle.`)
  expect((error as ReceiptHandleIsInvalid).queryCode).toBe('ReceiptHandleIsInvalid')
  expect((error as ReceiptHandleIsInvalid).status).toBe(404)
}

/** Builds a correctly signed handle around an arbitrary payload, to test the checks after the MAC. */
function signedHandle(payload: string, version = 1) {
  const signed = Buffer.concat([Buffer.of(version), Buffer.from(payload, 'utf8')])
  const mac = createHmac('sha256', key).update(signed).digest().subarray(0, 16)
  return Buffer.concat([signed.subarray(0, 1), mac, signed.subarray(1)]).toString('base64url')
}

describe('receipt handles', () => {
  it('round-trip', () => {
    const handle = encodeReceiptHandle(fields, key)
    expect(decodeReceiptHandle(handle, key)).toEqual(fields)
    const unicode = { ...fields, p: 'ünïcødé#1', s: '\u{1F600}#"quoted"\\', v: 0, r: 0 }
    expect(decodeReceiptHandle(encodeReceiptHandle(unicode, key), key)).toEqual(unicode)
  })

  it('are URL-safe and well under 1,024 characters', () => {
    const handle = encodeReceiptHandle(fields, key)
    expect(handle).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(handle.length).toBeLessThan(300)
  })

  it('carry only the fields, not extra properties of the argument', () => {
    const handle = encodeReceiptHandle({ ...fields, extra: 'x' } as ReceiptFields, key)
    expect(decodeReceiptHandle(handle, key)).toEqual(fields)
  })

  it('reject garbage with the message AWS gives', () => {
    expectInvalid('garbage')
    expect(() => decodeReceiptHandle('garbage', key)).toThrow('The input receipt handle "garbage" is not a valid receipt handle.')
    for (const handle of ['', 'not base64!', 'a+b/c=', 'AQ', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) expectInvalid(handle)
  })

  it('reject any tampered character', () => {
    const handle = encodeReceiptHandle(fields, key)
    for (let i = 0; i < handle.length; i++) {
      const replacement = handle[i] === 'A' ? 'B' : 'A'
      expectInvalid(handle.slice(0, i) + replacement + handle.slice(i + 1))
    }
    expectInvalid(handle.slice(0, -1))
    expectInvalid(`${handle}A`)
  })

  it('reject any tampered byte', () => {
    const bytes = Buffer.from(encodeReceiptHandle(fields, key), 'base64url')
    for (let i = 0; i < bytes.length; i++) {
      const tampered = Buffer.from(bytes)
      tampered[i] = tampered[i]! ^ 0x01
      expectInvalid(tampered.toString('base64url'))
    }
  })

  it('reject a handle signed with another key', () => {
    expectInvalid(encodeReceiptHandle(fields, 'another-key'))
  })

  it('reject signed payloads that are not the expected fields', () => {
    expect(decodeReceiptHandle(signedHandle(JSON.stringify(fields)), key)).toEqual(fields)
    const { t: _t, ...withoutToken } = fields
    const bad = [
      'not json', 'null', '[]', '"string"', '42', JSON.stringify(withoutToken),
      JSON.stringify({ ...fields, q: 1 }), JSON.stringify({ ...fields, v: '1' }), JSON.stringify({ ...fields, r: -1 }),
      JSON.stringify({ ...fields, v: 1.5 }), JSON.stringify({ ...fields, r: 2 ** 60 }),
    ]
    for (const payload of bad) expectInvalid(signedHandle(payload))
    expectInvalid(signedHandle(JSON.stringify(fields), 2))
  })
})

describe('chunk counts in receipt handles', () => {
  it('round-trips the chunk count of a big message, and decodes handles issued without one', () => {
    const fields = { q: 'queue-id-123', p: 'queue-id-123#0#2', s: '1764161234567abcdefgh', t: 'tok123', v: 1_764_161_264_567, r: 1_764_161_234_567 }
    expect(decodeReceiptHandle(encodeReceiptHandle({ ...fields, c: 3 }, 'key'), 'key')).toEqual({ ...fields, c: 3 })
    expect(decodeReceiptHandle(encodeReceiptHandle(fields, 'key'), 'key')).toEqual(fields)
  })
})

describe('bounds on what a signed handle may carry', () => {
  // whoever knows the signing key can sign anything, so a good MAC does not make the fields plausible
  it('reject a handle longer than the 1,024 characters SQS allows, however well signed', () => {
    const long = encodeReceiptHandle({ ...fields, t: 'x'.repeat(800) }, key)
    expect(long.length).toBeGreaterThan(1024)
    expectInvalid(long)
    const longest = { ...fields, t: 'x'.repeat(500) }
    expect(decodeReceiptHandle(encodeReceiptHandle(longest, key), key)).toEqual(longest)
  })

  it('reject times a receive cannot write: visible before the receive, more than 12 h after it, past 13 digits', () => {
    const r = fields.r
    const implausible = [[r - 1, r], [r + 43_200_001, r], [10 ** 13, 10 ** 13 - 1_000], [2 ** 53 - 1, 2 ** 53 - 2]]
    for (const [v, at] of implausible) expectInvalid(encodeReceiptHandle({ ...fields, v: v!, r: at! }, key))
    for (const v of [r, r + 43_200_000]) {
      expect(decodeReceiptHandle(encodeReceiptHandle({ ...fields, v }, key), key)).toEqual({ ...fields, v })
    }
  })
})
