/** How a request names its queue: a bare queue name as QueueUrl, and Query requests posted to a queue's URL path. */
import { describe, expect, it } from 'vitest'
import { accountId, clients, jsonClient, uniqueQueueName } from '../support/clients.js'
import { queueDoesNotExist } from '../support/errors.js'
import { parseXml, queryRequest } from '../support/raw.js'

describe.each(clients)('A bare queue name as QueueUrl over $name', ({ client, dialect }) => {
  const newQueue = async (prefix: string, Attributes?: Record<string, string>) => {
    const name = uniqueQueueName(prefix)
    const { QueueUrl } = await client.createQueue({ QueueName: name, Attributes })
    return { name, QueueUrl: QueueUrl! }
  }

  it('sends, receives, changes the visibility of and deletes messages', async () => {
    const { name, QueueUrl } = await newQueue('bare')
    await client.sendMessage({ QueueUrl: name, MessageBody: 'one' })
    const [message] = (await client.receiveMessage({ QueueUrl: name, VisibilityTimeout: 600 })).Messages!
    expect(message!.Body).toBe('one')
    await client.changeMessageVisibility({ QueueUrl: name, ReceiptHandle: message!.ReceiptHandle!, VisibilityTimeout: 0 })
    const [again] = (await client.receiveMessage({ QueueUrl: name })).Messages!
    expect(again!.MessageId).toBe(message!.MessageId)
    await client.deleteMessage({ QueueUrl: name, ReceiptHandle: again!.ReceiptHandle! })
    expect((await client.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
  })

  it('sends, changes the visibility of and deletes messages in batches', async () => {
    const { name } = await newQueue('bare')
    const sent = await client.sendMessageBatch({ QueueUrl: name, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }] })
    expect(sent.Successful).toHaveLength(2)
    const handles: string[] = []
    // a receive may return fewer messages than are visible: ask until both are in hand, hidden meanwhile
    for (let attempt = 0; handles.length < 2 && attempt < 20; attempt++) {
      const { Messages = [] } = await client.receiveMessage({ QueueUrl: name, MaxNumberOfMessages: 10, VisibilityTimeout: 600 })
      handles.push(...Messages.map((m) => m.ReceiptHandle!))
    }
    const entries = handles.map((ReceiptHandle, i) => ({ Id: `e${i}`, ReceiptHandle }))
    const changed = await client.changeMessageVisibilityBatch({ QueueUrl: name, Entries: entries.map((e) => ({ ...e, VisibilityTimeout: 600 })) })
    expect(changed.Successful).toHaveLength(2)
    const deleted = await client.deleteMessageBatch({ QueueUrl: name, Entries: entries })
    expect(deleted.Successful).toHaveLength(2)
  })

  it('reads and sets attributes, tags and permissions, lists dead-letter sources, purges and deletes the queue', async () => {
    const dlq = await newQueue('bare-dlq')
    const dlqArn = `arn:aws:sqs:us-east-1:${accountId}:${dlq.name}`
    const source = await newQueue('bare-src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) })
    expect((await client.listDeadLetterSourceQueues({ QueueUrl: dlq.name })).queueUrls).toEqual([source.QueueUrl])

    const { name, QueueUrl } = source
    await client.setQueueAttributes({ QueueUrl: name, Attributes: { VisibilityTimeout: '45' } })
    expect((await client.getQueueAttributes({ QueueUrl: name, AttributeNames: ['VisibilityTimeout'] })).Attributes).toEqual({ VisibilityTimeout: '45' })
    await client.tagQueue({ QueueUrl: name, Tags: { team: 'a', stage: 'b' } })
    await client.untagQueue({ QueueUrl: name, TagKeys: ['stage'] })
    expect((await client.listQueueTags({ QueueUrl: name })).Tags).toEqual({ team: 'a' })
    await client.addPermission({ QueueUrl: name, Label: 'bare', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })
    await client.removePermission({ QueueUrl: name, Label: 'bare' })
    await client.sendMessage({ QueueUrl, MessageBody: 'purged' })
    await client.purgeQueue({ QueueUrl: name })
    expect((await client.receiveMessage({ QueueUrl })).Messages).toBeUndefined()
    await client.deleteQueue({ QueueUrl: name })
    await expect(client.getQueueUrl({ QueueName: name })).rejects.toMatchObject(queueDoesNotExist(dialect, { modelledInQuery: true }))
  })

  it('answers QueueDoesNotExist for a name no queue of the caller has', async () => {
    await expect(client.sendMessage({ QueueUrl: uniqueQueueName('none'), MessageBody: 'x' })).rejects.toMatchObject(queueDoesNotExist(dialect))
  })
})

describe('Query requests posted to a queue URL path', () => {
  const client = jsonClient()
  const newQueue = async () => {
    const name = uniqueQueueName('onpath')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    return { name, QueueUrl: QueueUrl!, path: `/${accountId}/${name}` }
  }
  /** The `<…Result>` of a successful Query answer. */
  const resultOf = (action: string, response: { status: number; text: string }) => {
    expect(response.status).toBe(200)
    return parseXml(response.text)[`${action}Response`][`${action}Result`]
  }

  it('serves GetQueueUrl, with or without the caller’s own QueueOwnerAWSAccountId, by POST and by GET', async () => {
    const { name, QueueUrl, path } = await newQueue()
    expect(resultOf('GetQueueUrl', await queryRequest({ Action: 'GetQueueUrl', QueueName: name }, { path })).QueueUrl).toBe(QueueUrl)
    const owned = await queryRequest({ Action: 'GetQueueUrl', QueueName: name, QueueOwnerAWSAccountId: accountId }, { path })
    expect(resultOf('GetQueueUrl', owned).QueueUrl).toBe(QueueUrl)
    const byGet = await queryRequest({ Action: 'GetQueueUrl', QueueName: name }, { path, method: 'GET' })
    expect(resultOf('GetQueueUrl', byGet).QueueUrl).toBe(QueueUrl)
  })

  it('answers GetQueueUrl by the QueueName asked for, whichever queue’s path it was posted to', async () => {
    const { path } = await newQueue()
    const other = await newQueue()
    expect(resultOf('GetQueueUrl', await queryRequest({ Action: 'GetQueueUrl', QueueName: other.name }, { path })).QueueUrl).toBe(other.QueueUrl)
  })

  it('answers GetQueueUrl naming another account as the owner with NonExistentQueue', async () => {
    const { name, path } = await newQueue()
    const response = await queryRequest({ Action: 'GetQueueUrl', QueueName: name, QueueOwnerAWSAccountId: '123456789012' }, { path })
    expect(response.status).toBe(400)
    expect(parseXml(response.text).ErrorResponse.Error.Code).toBe('AWS.SimpleQueueService.NonExistentQueue')
  })

  it('acts on the path’s queue for actions with a QueueUrl when the form has none', async () => {
    const { name, QueueUrl, path } = await newQueue()
    const on = (params: Record<string, string>) => queryRequest(params, { path })
    resultOf('SendMessage', await on({ Action: 'SendMessage', MessageBody: 'by path' }))
    resultOf('SendMessageBatch', await on({ Action: 'SendMessageBatch', 'SendMessageBatchRequestEntry.1.Id': 'b', 'SendMessageBatchRequestEntry.1.MessageBody': 'batched' }))
    expect(resultOf('GetQueueAttributes', await on({ Action: 'GetQueueAttributes', 'AttributeName.1': 'QueueArn' })).Attribute.Name).toBe('QueueArn')
    expect((await on({ Action: 'SetQueueAttributes', 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '600' })).status).toBe(200)
    expect((await on({ Action: 'TagQueue', 'Tag.1.Key': 'team', 'Tag.1.Value': 'a' })).status).toBe(200)
    expect(resultOf('ListQueueTags', await on({ Action: 'ListQueueTags' })).Tag).toEqual({ Key: 'team', Value: 'a' })

    const messages: { Body: string; ReceiptHandle: string }[] = []
    // a receive may return fewer messages than are visible: ask until both are in hand, hidden meanwhile
    for (let attempt = 0; messages.length < 2 && attempt < 20; attempt++) {
      const received = resultOf('ReceiveMessage', await on({ Action: 'ReceiveMessage', MaxNumberOfMessages: '10', VisibilityTimeout: '600' }))
      messages.push(...[received?.Message ?? []].flat())
    }
    expect(messages.map((m) => m.Body).sort()).toEqual(['batched', 'by path'])
    expect((await on({ Action: 'ChangeMessageVisibility', ReceiptHandle: messages[0]!.ReceiptHandle, VisibilityTimeout: '600' })).status).toBe(200)
    expect((await on({ Action: 'DeleteMessage', ReceiptHandle: messages[0]!.ReceiptHandle })).status).toBe(200)
    expect((await on({ Action: 'PurgeQueue' })).status).toBe(200)
    expect((await client.getQueueAttributes({ QueueUrl, AttributeNames: ['VisibilityTimeout'] })).Attributes?.VisibilityTimeout).toBe('600')
    expect((await on({ Action: 'DeleteQueue' })).status).toBe(200)
    await expect(client.getQueueUrl({ QueueName: name })).rejects.toMatchObject({ name: 'QueueDoesNotExist' })
  })

  it('lets a bare queue name in the form name the queue instead of the path', async () => {
    const { path } = await newQueue()
    const other = await newQueue()
    resultOf('SendMessage', await queryRequest({ Action: 'SendMessage', QueueUrl: other.name, MessageBody: 'to the form’s queue' }, { path }))
    expect((await client.receiveMessage({ QueueUrl: other.QueueUrl })).Messages?.[0]?.Body).toBe('to the form’s queue')
  })
})
