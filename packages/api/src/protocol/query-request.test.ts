/** @module protocol/query-request.test — merging the query string with the form body, and the bound on parameters. */
import { InvalidQueryParameter } from '@dqs/core'
import { describe, expect, it } from 'vitest'
import { maxParameters } from './bounds.js'
import { readQueryRequest } from './query-request.js'

const base = 'http://localhost:9324'
const read = (search: string, body: string) => readQueryRequest(new URL(`${base}/${search}`), body, base)

describe('readQueryRequest', () => {
  it('lets a body field replace a query-string field; a repeated body field keeps its last value, a repeated query-string field its first', () => {
    expect(read('?Action=GetQueueUrl&QueueName=url', 'QueueName=body').input).toStrictEqual({ QueueName: 'body' })
    expect(read('', 'Action=GetQueueUrl&QueueName=a&QueueName=b').input).toStrictEqual({ QueueName: 'b' })
    expect(read('?Action=GetQueueUrl&QueueName=a&QueueName=b', '').input).toStrictEqual({ QueueName: 'a' })
  })

  it('accepts as many parameters as the bound, counting the query string and the body together', () => {
    const fields = Array.from({ length: maxParameters - 2 }, (_, i) => `AttributeName.${i + 1}=All`)
    const { input } = read('?Action=GetQueueAttributes', `QueueUrl=q&${fields.join('&')}`)
    expect(input.AttributeNames).toHaveLength(maxParameters - 2)
  })

  it('refuses one more with InvalidQueryParameter, and 150,000 well within a second, before parsing them', () => {
    const fields = Array.from({ length: maxParameters - 1 }, (_, i) => `AttributeName.${i + 1}=All`)
    expect(() => read('?Action=GetQueueAttributes', `QueueUrl=q&${fields.join('&')}`)).toThrow(InvalidQueryParameter)
    const many = `Action=GetQueueAttributes&${Array.from({ length: 150_000 }, (_, i) => `AttributeName.${i + 1}=All`).join('&')}`
    const started = performance.now()
    expect(() => read('', many)).toThrow(expect.objectContaining({ queryCode: 'InvalidQueryParameter', status: 400 }))
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('counts fields as the form parser sees them: empty ones between ampersands are not parameters', () => {
    const padding = '&'.repeat(maxParameters * 2)
    expect(read('', `Action=ListQueues${padding}QueueNamePrefix=p`).input).toStrictEqual({ QueueNamePrefix: 'p' })
  })
})
