import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { clients, sqsError, uniqueQueueName } from '../support/clients.js'

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex')
const entries = (count: number, body = (i: number) => `message ${i}`) =>
  Array.from({ length: count }, (_, i) => ({ Id: `m${i}`, MessageBody: body(i) }))

describe.each(clients)('SendMessageBatch over $name', ({ client, dialect }) => {
  const newQueue = async (Attributes: Record<string, string> = {}) =>
    (await client.createQueue({ QueueName: uniqueQueueName('batch'), Attributes })).QueueUrl!
  const receiveAll = async (QueueUrl: string) => {
    const bodies: string[] = []
    for (let i = 0; i < 5; i++) {
      const { Messages = [] } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 })
      bodies.push(...Messages.map((m) => m.Body!))
    }
    return bodies.sort()
  }

  it('sends up to 10 messages and reports each by Id with its MessageId and MD5s', async () => {
    const QueueUrl = await newQueue()
    const Entries = entries(10)
    Entries[3] = { ...Entries[3]!, MessageAttributes: { Foo: { DataType: 'String', StringValue: 'Bar' } } } as never
    const { Successful, Failed } = await client.sendMessageBatch({ QueueUrl, Entries })
    expect(Failed ?? []).toEqual([])
    expect(Successful!.map((s) => s.Id).sort()).toEqual(Entries.map((e) => e.Id).sort())
    for (const result of Successful!) {
      expect(result.MD5OfMessageBody).toBe(md5(Entries.find((e) => e.Id === result.Id)!.MessageBody))
      expect(result.MessageId).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect(Successful!.find((s) => s.Id === 'm3')!.MD5OfMessageAttributes).toBe('ae7155c6026991b6d54b11589678bf9c')
    expect(new Set(Successful!.map((s) => s.MessageId)).size).toBe(10)
    expect(await receiveAll(QueueUrl)).toEqual(Entries.map((e) => e.MessageBody).sort())
  })

  it('answers EmptyBatchRequest for no entries', async () => {
    const QueueUrl = await newQueue()
    await expect(client.sendMessageBatch({ QueueUrl, Entries: [] })).rejects.toMatchObject(sqsError(dialect, {
      name: 'EmptyBatchRequest', status: 400, message: 'There should be at least one SendMessageBatchRequestEntry in the request.',
    }))
  })

  it('answers TooManyEntriesInBatchRequest for more than 10 entries', async () => {
    const QueueUrl = await newQueue()
    await expect(client.sendMessageBatch({ QueueUrl, Entries: entries(11) })).rejects.toMatchObject(sqsError(dialect, {
      name: 'TooManyEntriesInBatchRequest', status: 400, message: 'Maximum number of entries per request are 10. You have sent 11.',
    }))
  })

  it('answers InvalidBatchEntryId for an id with other characters or over 80', async () => {
    const QueueUrl = await newQueue()
    for (const Id of ['has space', 'dot.ted', 'x'.repeat(81), '']) {
      await expect(client.sendMessageBatch({ QueueUrl, Entries: [{ Id, MessageBody: 'm' }] })).rejects.toMatchObject(sqsError(dialect, {
        name: 'InvalidBatchEntryId', status: 400,
        message: 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      }))
    }
    const { Successful } = await client.sendMessageBatch({ QueueUrl, Entries: [{ Id: `A-z_9${'x'.repeat(75)}`, MessageBody: 'm' }] })
    expect(Successful).toHaveLength(1)
  })

  it('answers BatchEntryIdsNotDistinct for a repeated id', async () => {
    const QueueUrl = await newQueue()
    await expect(client.sendMessageBatch({ QueueUrl, Entries: [{ Id: 'same', MessageBody: 'a' }, { Id: 'same', MessageBody: 'b' }] }))
      .rejects.toMatchObject(sqsError(dialect, { name: 'BatchEntryIdsNotDistinct', status: 400, message: 'Id same repeated.' }))
  })

  it('answers BatchRequestTooLong when the entries total more than 1 MiB, and sends none', async () => {
    const QueueUrl = await newQueue()
    const Entries = entries(2, (i) => 'x'.repeat(i === 0 ? 524_288 : 524_289))
    await expect(client.sendMessageBatch({ QueueUrl, Entries })).rejects.toMatchObject(sqsError(dialect, {
      name: 'BatchRequestTooLong', status: 400, message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
    }))
    expect((await client.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
  })

  it('accepts entries totalling exactly 1 MiB', async () => {
    const QueueUrl = await newQueue()
    const { Successful } = await client.sendMessageBatch({ QueueUrl, Entries: entries(4, () => 'y'.repeat(262_144)) })
    expect(Successful).toHaveLength(4)
  })

  it('fails an entry with invalid characters alone, with HTTP 200', async () => {
    const QueueUrl = await newQueue()
    const Entries = entries(10)
    Entries[4]!.MessageBody = 'bad \u0001 body'
    const result = await client.sendMessageBatch({ QueueUrl, Entries })
    expect(result.$metadata.httpStatusCode).toBe(200)
    expect(result.Successful).toHaveLength(9)
    expect(result.Failed).toEqual([{
      Id: 'm4', SenderFault: true, Code: 'InvalidMessageContents',
      Message: 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    }])
    expect(await receiveAll(QueueUrl)).toHaveLength(9)
  })

  it('fails an entry over the queue’s MaximumMessageSize alone, in SQS’s batch wording', async () => {
    const QueueUrl = await newQueue({ MaximumMessageSize: '1024' })
    const result = await client.sendMessageBatch({ QueueUrl, Entries: [{ Id: 'ok', MessageBody: 'x'.repeat(1024) }, { Id: 'big', MessageBody: 'x'.repeat(1025) }] })
    expect(result.Successful!.map((s) => s.Id)).toEqual(['ok'])
    expect(result.Failed).toEqual([{
      Id: 'big', SenderFault: true, Code: 'InvalidParameterValue',
      Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.',
    }])
  })

  it('fails entries with an empty body or bad attributes alone', async () => {
    const QueueUrl = await newQueue()
    const result = await client.sendMessageBatch({
      QueueUrl,
      Entries: [
        { Id: 'ok', MessageBody: 'fine' },
        { Id: 'empty', MessageBody: '' },
        { Id: 'attr', MessageBody: 'm', MessageAttributes: { a: { DataType: 'String', StringValue: '' } } },
      ],
    })
    expect(result.Successful!.map((s) => s.Id)).toEqual(['ok'])
    expect(result.Failed!.map((f) => [f.Id, f.Code, f.SenderFault]).sort()).toEqual([
      ['attr', 'InvalidParameterValue', true],
      ['empty', 'MissingParameter', true],
    ])
  })

  it('holds back each entry for its own DelaySeconds', async () => {
    const QueueUrl = await newQueue()
    await client.sendMessageBatch({ QueueUrl, Entries: [{ Id: 'now', MessageBody: 'now' }, { Id: 'later', MessageBody: 'later', DelaySeconds: 900 }] })
    const { Messages } = await client.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 })
    expect(Messages?.map((m) => m.Body)).toEqual(['now'])
  })
})
