/** @module protocol/json.test — readJsonRequest: the shape bounds a body must stay within before it is parsed. */
import { MalformedInput } from '@dqs/core'
import { describe, expect, it } from 'vitest'
import { maxParameters } from './bounds.js'
import { readJsonRequest } from './json.js'

const headers = new Headers({ 'x-amz-target': 'AmazonSQS.SendMessage' })
const read = (body: string) => readJsonRequest(headers, body)
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

describe('readJsonRequest', () => {
  it('accepts nesting 32 deep and refuses 33 with MalformedInput, before parsing', () => {
    expect(read(`{"a":${nested(31)}}`).input).toHaveProperty('a')
    expect(() => read(`{"a":${nested(32)}}`)).toThrow(MalformedInput)
    expect(() => read(`{"a":${nested(1_000_000)}`)).toThrow(/nests deeper than 32 levels/) // unterminated: never parsed
  })

  it('refuses more values than any SQS request carries, and accepts the bound', () => {
    const values = (n: number) => `{"AttributeNames":[${Array.from({ length: n }, () => '"All"').join(',')}]}`
    expect((read(values(maxParameters)).input.AttributeNames as unknown[]).length).toBe(maxParameters)
    expect(() => read(values(maxParameters + 1))).toThrow(/more than 2024 values/)
  })

  it('does not count brackets or commas inside strings, escaped quotes included', () => {
    const body = `"\\"${'[{,'.repeat(10_000)}\\\\`
    expect(read(`{"MessageBody":${body}"}`).input).toStrictEqual({ MessageBody: `"${'[{,'.repeat(10_000)}\\` })
  })
})
