import { NumberValue, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { convertToAttr, convertToNative, type marshallOptions } from '@aws-sdk/util-dynamodb'
import { describe, expect, it } from 'vitest'
import { binariesToBase64 } from './attribute-json.js'
import { nativeAnswer, requestJson, type KeyNodes } from './document-json.js'

const options: marshallOptions = { removeUndefinedValues: true, convertClassInstanceToMap: true }
const nodesOf = (command: object, which: 'inputKeyNodes' | 'outputKeyNodes') => (command as Record<string, KeyNodes>)[which]!

/** util-dynamodb's attribute value for `value`, as DynamoDB's JSON carries it: what requestJson must write. */
const wire = (value: unknown) => JSON.parse(JSON.stringify(binariesToBase64(convertToAttr(value, options))))

class Point {
  constructor(readonly x: number, readonly y: number) {}
}
const nullPrototype = Object.assign(Object.create(null), { a: 'b' })

const values: Record<string, unknown> = {
  text: 'tëxt ✓ "quoted" \\ \n \u2028 \ud800', empty: '', zero: 0, negative: -12.5, small: 1e-7, exact: Number.MAX_SAFE_INTEGER,
  yes: true, no: false, nothing: null, bytes: new Uint8Array([0, 1, 254, 255]), buffer: Buffer.from('buffer'),
  int8: new Int8Array([-1, 2]), list: ['x', 1, undefined, () => 1, [true, null]], map: { a: 1, b: undefined, c: () => 2, d: { e: 'f' } },
  strings: new Set(['a', 'b']), numbers: new Set([1, 2.5]), binaries: new Set([new Uint8Array([1]), new Uint8Array([2])]),
  mapObject: new Map<string, unknown>([['k', 'v'], ['n', 1]]), wrapped: NumberValue.from('123456789012345678901234567890'),
  bigint: 2n ** 70n, instance: new Point(1, 2), nullPrototype, tags: { constructor: 'c', toString: 's', __proto__x: 'p' },
}

describe('requestJson', () => {
  it('writes each value as util-dynamodb marshals it, and the rest of the input as JSON.stringify does', () => {
    const command = new PutCommand({ TableName: 't', Item: { pk: 'p', ...values }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValues: undefined })
    const written = JSON.parse(requestJson(command.input, nodesOf(command, 'inputKeyNodes'), options))
    expect(Object.keys(written)).toEqual(['TableName', 'Item', 'ConditionExpression'])
    expect(written.TableName).toBe('t')
    for (const [name, value] of Object.entries(values)) expect(written.Item[name], name).toEqual(wire(value))
  })

  it('follows nested positions: expression values, transaction items', () => {
    const query = new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'p', ':n': 3 }, ExclusiveStartKey: { pk: 'p', sk: 's' } })
    expect(JSON.parse(requestJson(query.input, nodesOf(query, 'inputKeyNodes'), options))).toEqual({
      TableName: 't', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'p' }, ':n': { N: '3' } },
      ExclusiveStartKey: { pk: { S: 'p' }, sk: { S: 's' } },
    })
    const transaction = new TransactWriteCommand({ TransactItems: [
      { Put: { TableName: 't', Item: { pk: 'a', bytes: new Uint8Array([7]) } } },
      { Delete: { TableName: 't', Key: { pk: 'b' } } },
    ] })
    expect(JSON.parse(requestJson(transaction.input, nodesOf(transaction, 'inputKeyNodes'), options))).toEqual({ TransactItems: [
      { Put: { TableName: 't', Item: { pk: { S: 'a' }, bytes: { B: 'Bw==' } } } },
      { Delete: { TableName: 't', Key: { pk: { S: 'b' } } } },
    ] })
  })

  it('refuses what util-dynamodb refuses, with its message', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, new Set(), Symbol('s')]) {
      const command = new PutCommand({ TableName: 't', Item: { pk: 'p', bad } })
      let expected: unknown
      try {
        wire(bad)
      } catch (error) {
        expected = error
      }
      expect(expected, String(bad)).toBeInstanceOf(Error)
      expect(() => requestJson(command.input, nodesOf(command, 'inputKeyNodes'), options)).toThrow((expected as Error).message)
    }
  })
})

describe('nativeAnswer', () => {
  it('makes each value what convertToNative makes of it, in the answer it is given', () => {
    const item: Record<string, unknown> = {
      s: { S: 'x' }, n: { N: '-1.5' }, big: { N: '123456789012345678901234567890' }, b: { B: 'AAH+/w==' }, yes: { BOOL: true },
      nothing: { NULL: true }, l: { L: [{ S: 'a' }, { N: '2' }, { M: { deep: { B: 'Bw==' } } }] }, m: { M: { a: { S: 'b' }, constructor: { S: 'c' } } },
      ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2'] }, bs: { BS: ['AQ==', 'Ag=='] },
    }
    const expected = Object.fromEntries(Object.entries(structuredClone(item)).map(([name, value]) => {
      const withBytes = JSON.parse(JSON.stringify(value), (key, v) => (key === 'B' ? new Uint8Array(Buffer.from(v, 'base64')) : v))
      if (withBytes.BS) withBytes.BS = withBytes.BS.map((b: string) => new Uint8Array(Buffer.from(b, 'base64')))
      return [name, convertToNative(withBytes)]
    }))
    const command = new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :pk' })
    const answer = { Items: [item], Count: 1, LastEvaluatedKey: { pk: { S: 'p' } } }
    const native = nativeAnswer(answer, nodesOf(command, 'outputKeyNodes'))
    expect(native).toBe(answer)
    expect(native).toEqual({ Items: [expected], Count: 1, LastEvaluatedKey: { pk: 'p' } })
    expect(typeof native.Items[0].big).toBe('bigint')
    expect(() => nativeAnswer({ Item: { odd: { Q: 'x' } } }, { Item: {} })).toThrow('Unsupported type passed: Q')
  })
})
