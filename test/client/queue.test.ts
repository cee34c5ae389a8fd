import { SendMessageBatchCommand, type SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs'
import { queue } from '@dqs/client'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createQueue, drain, spyOnCommands, sqsClient } from './support.js'

const Order = z.object({ id: z.string(), total: z.number() })

describe('queue(): typed sends', () => {
  it('resolves a queue name with GetQueueUrl once, and sends JSON bodies with plain-object attributes', async () => {
    const client = sqsClient()
    const { name, url } = await createQueue(client, 'typed')
    const { inputs } = spyOnCommands(client)
    const orders = queue(name, { client, schema: Order })
    const sent = await orders.send({ id: 'o-1', total: 42 }, {
      messageAttributes: { tenant: 'acme', attempt: 3, big: 12345678901234567890n, raw: Buffer.from([0, 1, 255]) },
    })
    await orders.send({ id: 'o-2', total: 7 })
    expect(inputs('GetQueueUrlCommand')).toEqual([{ QueueName: name }])
    expect(await orders.url()).toBe(url)

    const received = await drain(client, url)
    const first = received.find((m) => m.MessageId === sent.messageId)!
    const parsed = orders.parse(first)
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.message.body).toEqual({ id: 'o-1', total: 42 })
    expect(parsed.message.messageAttributes).toEqual({
      tenant: 'acme', attempt: 3, big: 12345678901234567890n, raw: new Uint8Array([0, 1, 255]),
    })
    expect(first.MessageAttributes!.attempt!.DataType).toBe('Number')
    expect(first.MessageAttributes!.raw!.DataType).toBe('Binary')
  })

  it('refuses a body that does not match the schema before sending anything', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'schema-send')
    const { spy } = spyOnCommands(client)
    const orders = queue(url, { client, schema: Order })
    await expect(orders.send({ id: 'o-1', total: 'lots' } as never)).rejects.toMatchObject({ name: 'ZodError' })
    await expect(orders.sendMany([{ id: 'o-2', total: 1 }, { id: 3 } as never])).rejects.toMatchObject({ name: 'ZodError' })
    expect(spy).not.toHaveBeenCalled()
  })

  it('sends raw strings unchanged with bodyFormat raw', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'raw')
    const lines = queue(url, { client, bodyFormat: 'raw' })
    await lines.send('not { json')
    const [message] = await drain(client, url)
    expect(message!.Body).toBe('not { json')
    expect(lines.parse(message!)).toMatchObject({ ok: true, message: { body: 'not { json' } })
  })
})

describe('sendMany(): batching', () => {
  it('splits 25 messages into batches of 10, 10 and 5 and returns a result per message, in order', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'count')
    const { inputs } = spyOnCommands(client)
    const numbers = queue(url, { client, schema: z.number() })
    const results = await numbers.sendMany(Array.from({ length: 25 }, (_, i) => i), (n) => ({ messageAttributes: { n } }))
    const batches = inputs('SendMessageBatchCommand').map((input) => (input.Entries as unknown[]).length)
    expect(batches).toEqual([10, 10, 5])
    expect(results).toHaveLength(25)
    expect(results.every((r) => r.ok)).toBe(true)

    const received = await drain(client, url)
    const byId = new Map(received.map((m) => [m.MessageId, m]))
    results.forEach((result, i) => {
      expect(result.ok && byId.get(result.messageId)?.Body).toBe(String(i))
    })
  })

  it('splits by size: ~300 KB messages go three to a batch, under the 1 MiB batch limit', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'size')
    const { inputs } = spyOnCommands(client)
    const blobs = queue(url, { client, bodyFormat: 'raw' })
    // 300,000-byte bodies plus a 10-byte attribute: three make 900,030 bytes; a fourth would pass 1,048,576
    const bodies = Array.from({ length: 8 }, (_, i) => String(i).repeat(300_000))
    const results = await blobs.sendMany(bodies, { messageAttributes: { part: 'x' } })
    expect(results.every((r) => r.ok)).toBe(true)
    const batches = inputs('SendMessageBatchCommand').map((input) => (input.Entries as unknown[]).length)
    expect(batches).toEqual([3, 3, 2])
    expect((await drain(client, url)).length).toBe(8)
  })

  it('fails a message over 1 MiB locally and sends the others', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'too-big')
    const blobs = queue(url, { client, bodyFormat: 'raw' })
    const results = await blobs.sendMany(['small', 'x'.repeat(1_048_577)])
    expect(results[0]).toMatchObject({ ok: true })
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue', senderFault: true } })
  })

  it('retries only the entries that failed with SenderFault false, and never a sender fault', async () => {
    const client = sqsClient()
    const { url } = await createQueue(client, 'retry')
    const send = client.send.bind(client) as (command: SendMessageBatchCommand) => Promise<SendMessageBatchCommandOutput>
    const { spy, inputs } = spyOnCommands(client)
    // the first batch request: the service "fails" entry 3 on its side (it is not stored), the others go through
    spy.mockImplementationOnce((async (command: SendMessageBatchCommand) => {
      const entries = command.input.Entries!
      const output = await send(new SendMessageBatchCommand({ ...command.input, Entries: entries.filter((e) => e.Id !== '3') }))
      return { ...output, Failed: [...output.Failed ?? [], { Id: '3', SenderFault: false, Code: 'InternalError', Message: 'try again' }] }
    }) as never)
    const texts = queue(url, { client, bodyFormat: 'raw', retry: { baseDelayMs: 1 } })
    const bodies = ['m0', 'm1', 'bad \u0001', 'm3', 'm4']
    const results = await texts.sendMany(bodies)

    expect(results.map((r) => r.ok)).toEqual([true, true, false, true, true])
    expect(results[2]).toMatchObject({ ok: false, error: { code: 'InvalidMessageContents', senderFault: true } })
    const requests = inputs('SendMessageBatchCommand').map((input) => (input.Entries as Array<{ MessageBody: string }>).map((e) => e.MessageBody))
    expect(requests).toEqual([bodies, ['m3']])
    const received = (await drain(client, url)).map((m) => m.Body).sort()
    expect(received).toEqual(['m0', 'm1', 'm3', 'm4'])
  })
})
