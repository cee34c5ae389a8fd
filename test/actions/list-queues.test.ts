import { describe, expect, it } from 'vitest'
import { accountId, clients, endpoint, uniqueQueueName } from '../support/clients.js'

describe.each(clients)('ListQueues over $name', ({ client }) => {
  /** Three queues under a prefix of their own, so other tests' queues never show up. */
  async function threeQueues() {
    const prefix = uniqueQueueName('list')
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]
    for (const QueueName of names) await client.createQueue({ QueueName })
    return { prefix, urls: names.map((name) => `${endpoint}/${accountId}/${name}`) }
  }

  it('lists the queues whose names start with the prefix', async () => {
    const { prefix, urls } = await threeQueues()
    await client.createQueue({ QueueName: `other-${prefix}` })
    const { QueueUrls, NextToken } = await client.listQueues({ QueueNamePrefix: prefix })
    expect(QueueUrls).toEqual(urls)
    expect(NextToken).toBeUndefined()
  })

  it('matches the prefix case-sensitively', async () => {
    const { prefix } = await threeQueues()
    expect((await client.listQueues({ QueueNamePrefix: prefix.toUpperCase() })).QueueUrls ?? []).toEqual([])
  })

  it('lists every queue of the account without a prefix', async () => {
    const { urls } = await threeQueues()
    const { QueueUrls } = await client.listQueues({})
    expect(QueueUrls).toEqual(expect.arrayContaining(urls))
  })

  it('returns no QueueUrls when nothing matches', async () => {
    const result = await client.listQueues({ QueueNamePrefix: uniqueQueueName('nothing') })
    expect(result.QueueUrls ?? []).toEqual([])
    expect(result.NextToken).toBeUndefined()
  })

  it('pages by MaxResults with a NextToken while more remain', async () => {
    const { prefix, urls } = await threeQueues()
    const first = await client.listQueues({ QueueNamePrefix: prefix, MaxResults: 2 })
    expect(first.QueueUrls).toEqual(urls.slice(0, 2))
    expect(first.NextToken).toBeTruthy()
    const second = await client.listQueues({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: first.NextToken })
    expect(second.QueueUrls).toEqual(urls.slice(2))
    expect(second.NextToken).toBeUndefined()
  })

  it('gives no NextToken when MaxResults covers the rest', async () => {
    const { prefix, urls } = await threeQueues()
    const page = await client.listQueues({ QueueNamePrefix: prefix, MaxResults: 3 })
    expect(page.QueueUrls).toEqual(urls)
    expect(page.NextToken).toBeUndefined()
  })

  it('leaves deleted queues out', async () => {
    const { prefix, urls } = await threeQueues()
    await client.deleteQueue({ QueueUrl: urls[1] })
    expect((await client.listQueues({ QueueNamePrefix: prefix })).QueueUrls).toEqual([urls[0], urls[2]])
  })

  it('continues a token under another prefix from that prefix’s first name', async () => {
    const { prefix } = await threeQueues()
    const other = await threeQueues()
    const { NextToken } = await client.listQueues({ QueueNamePrefix: prefix, MaxResults: 1 })
    const [before, after] = [prefix, other.prefix].sort()
    const continued = await client.listQueues({ QueueNamePrefix: after === prefix ? before : after, MaxResults: 5, NextToken })
    expect(continued.QueueUrls ?? []).toEqual(after === prefix ? [] : other.urls)
  })

  it('rejects MaxResults outside 1–1000', async () => {
    for (const MaxResults of [0, 1001]) {
      await expect(client.listQueues({ MaxResults })).rejects.toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } })
    }
  })

  it('rejects a NextToken it did not issue', async () => {
    await expect(client.listQueues({ MaxResults: 5, NextToken: 'not-a-token' }))
      .rejects.toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } })
  })
})
