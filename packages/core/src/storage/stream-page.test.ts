import { describe, expect, it } from 'vitest'
import { readRecordsPage, unreadRecordFields } from './stream-page.js'

/** A GetRecords answer as DynamoDB writes it, from images given as DynamoDB JSON. */
function pageOf(images: Array<{ NewImage?: object; OldImage?: object }>, spacing?: number) {
  const answer = {
    NextShardIterator: 'arn:aws:dynamodb:local:iterator|1|AAA',
    Records: images.map((image, i) => ({
      eventID: `e${i}`, eventName: image.OldImage ? (image.NewImage ? 'MODIFY' : 'REMOVE') : 'INSERT', eventVersion: '1.1',
      dynamodb: { ApproximateCreationDateTime: 1796534040, Keys: { pk: { S: 'q#0#1' }, sk: { S: `s${i}` } }, ...image, SequenceNumber: String(i), SizeBytes: 100 },
    })),
  }
  return { answer, bytes: Buffer.from(JSON.stringify(answer, null, spacing)) }
}

/** What the answer reads as without `omit` in its images. */
function without(answer: ReturnType<typeof pageOf>['answer'], omit: string[]) {
  const copy = structuredClone(answer)
  for (const { dynamodb } of copy.Records) {
    for (const image of [(dynamodb as any).NewImage, (dynamodb as any).OldImage]) for (const name of omit) if (image) delete image[name]
  }
  return copy
}

const body = 'a "quoted" \\ text with {"b":{"S":"x"}}, ] and [ and é, 日本'

describe('readRecordsPage', () => {
  it('cuts the named attributes wherever they stand in an image, and nothing else', () => {
    const { answer, bytes } = pageOf([
      { NewImage: { b: { S: body }, pk: { S: 'q#0#1' }, vis: { N: '5' } } },
      { NewImage: { pk: { S: 'q#0#1' }, b: { S: body }, vis: { N: '6' } } },
      { NewImage: { pk: { S: 'q#0#1' }, vis: { N: '7' }, z: { B: 'AAEC' } } },
      { OldImage: { z: { B: 'AAEC' }, b: { S: body } }, NewImage: { m: { S: '{}' }, pk: { S: 'q#0#1' }, z: { B: 'AAEC' } } },
      { OldImage: { z: { B: 'AAEC' } } },
    ])
    const read = readRecordsPage(bytes, ['b', 'z', 'm'])
    expect(read).toEqual(without(answer, ['b', 'z', 'm']))
    expect(read.Records).toHaveLength(5)
    expect((read.Records![4] as any).dynamodb.OldImage).toEqual({})
  })

  it('keeps entries of the same names deeper down, in maps and lists', () => {
    const nested = {
      rx: { M: { b: { M: { z: { N: '1' } } }, m: { S: 'kept' } } },
      l: { L: [{ M: { b: { S: 'kept' } } }] },
      b: { S: 'cut' },
    }
    const { answer, bytes } = pageOf([{ NewImage: nested, OldImage: nested }])
    const read = readRecordsPage(bytes, ['b', 'm', 'z'])
    expect(read).toEqual(without(answer, ['b', 'm', 'z']))
    expect((read.Records![0] as any).dynamodb.NewImage.rx.M.b.M.z.N).toBe('1')
  })

  it('reads every attribute when none is named, text of any kind included', () => {
    const { answer, bytes } = pageOf([{ NewImage: { b: { S: body }, n: { N: '1' }, t: { BOOL: true }, x: { NULL: true } } }])
    expect(readRecordsPage(bytes, [])).toEqual(answer)
  })

  it('reads pages laid out with white space', () => {
    const { answer, bytes } = pageOf([{ NewImage: { b: { S: body }, pk: { S: 'p' } } }, { NewImage: { pk: { S: 'p' }, b: { S: body } } }], 2)
    expect(readRecordsPage(bytes, ['b'])).toEqual(without(answer, ['b']))
  })

  it('hands each record to `read` as it is parsed, in order, and keeps only what `read` answers', () => {
    const { answer, bytes } = pageOf([{ NewImage: { b: { S: body }, vis: { N: '1' } } }, { OldImage: { vis: { N: '2' } } }, { NewImage: { vis: { N: '3' } } }])
    const seen: unknown[] = []
    const read = readRecordsPage(bytes, ['b'], (record) => {
      seen.push(record)
      return record.dynamodb.SequenceNumber
    })
    expect(seen).toEqual(without(answer, ['b']).Records)
    expect(read).toEqual({ NextShardIterator: answer.NextShardIterator, Records: ['0', '1', '2'] })
  })

  it('cuts the fields of the record named, at its level and in its dynamodb object, whatever their values', () => {
    // as DynamoDB Local writes a record (GetRecords), with a field no list names and a value that is a field's name
    const record = (i: number) => ({
      eventID: `214d2815-e9b9-461f-98b5-4769e0159e4${i}`, eventName: 'MODIFY', eventVersion: '1.1', eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal', note: 'eventID',
      dynamodb: {
        ApproximateCreationDateTime: 1796572980.5, Keys: { sk: { S: 's' }, pk: { S: 'q#0#2' } },
        NewImage: { vis: { N: '2' }, b: { S: body }, pk: { S: 'q#0#2' } }, OldImage: { b: { S: body }, vis: { N: '1' } },
        SequenceNumber: `00000000000000000000${i}`, SizeBytes: 504, StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    })
    const kept = (i: number) => ({
      eventName: 'MODIFY', note: 'eventID',
      dynamodb: { NewImage: { vis: { N: '2' }, pk: { S: 'q#0#2' } }, OldImage: { vis: { N: '1' } }, SequenceNumber: `00000000000000000000${i}` },
    })
    for (const spacing of [undefined, 2]) {
      const bytes = Buffer.from(JSON.stringify({ Records: [record(1), record(2)], NextShardIterator: 'it' }, null, spacing))
      expect(readRecordsPage(bytes, ['b'], undefined, unreadRecordFields)).toEqual({ Records: [kept(1), kept(2)], NextShardIterator: 'it' })
    }
  })

  it('reads an empty page and an answer without records', () => {
    expect(readRecordsPage(Buffer.from('{"Records":[],"NextShardIterator":"it"}'), ['b'])).toEqual({ Records: [], NextShardIterator: 'it' })
    expect(readRecordsPage(Buffer.from('{"NextShardIterator":"it"}'), ['b'])).toEqual({ NextShardIterator: 'it' })
  })

  it('refuses what is not JSON, and a name too long to cut', () => {
    expect(() => readRecordsPage(Buffer.from('{"Records":[{"a":'), ['b'])).toThrow(SyntaxError)
    expect(() => readRecordsPage(Buffer.from('{}'), ['longname'])).toThrow(/cannot be cut/)
  })
})
