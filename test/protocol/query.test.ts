import { describe, expect, it } from 'vitest'
import { accountId, endpoint, jsonClient, uniqueQueueName } from '../support/clients.js'
import { parseXml, queryRequest } from '../support/raw.js'

const requestId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const namespace = 'http://queue.amazonaws.com/doc/2012-11-05/'
const client = jsonClient()

/** The `<Error>` of an `<ErrorResponse>`, checking the envelope and that its RequestId is the header's. */
function errorOf(response: { headers: Headers; text: string }) {
  const document = parseXml(response.text).ErrorResponse
  expect(document['@_xmlns']).toBe(namespace)
  expect(document.RequestId).toBe(response.headers.get('x-amzn-requestid'))
  expect(document.RequestId).toMatch(requestId)
  return document.Error as { Type: string; Code: string; Message: string }
}

describe('Query protocol', () => {
  it('answers success as XML in SQS’s namespace with the RequestId also in a header', async () => {
    const response = await queryRequest({ Action: 'ListQueues', Version: '2012-11-05', QueueNamePrefix: uniqueQueueName('none') })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/xml')
    const document = parseXml(response.text).ListQueuesResponse
    expect(document['@_xmlns']).toBe(namespace)
    expect(document.ResponseMetadata.RequestId).toBe(response.headers.get('x-amzn-requestid'))
  })

  it('writes errors as <ErrorResponse> with Type, Code and Message, at the modelled status', async () => {
    const missing = await queryRequest({ Action: 'GetQueueUrl', QueueName: uniqueQueueName('none') })
    expect(missing.status).toBe(400)
    expect(errorOf(missing)).toEqual({
      Type: 'Sender', Code: 'AWS.SimpleQueueService.NonExistentQueue', Message: 'The specified queue does not exist for this wsdl version.', Detail: '',
    })
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('query') })
    const handle = await queryRequest({ Action: 'DeleteMessage', QueueUrl: QueueUrl!, ReceiptHandle: 'garbage' })
    expect(handle.status).toBe(404)
    expect(errorOf(handle)).toMatchObject({ Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "garbage" is not a valid receipt handle.' })
    await queryRequest({ Action: 'PurgeQueue', QueueUrl: QueueUrl! })
    const purge = await queryRequest({ Action: 'PurgeQueue', QueueUrl: QueueUrl! })
    expect(purge.status).toBe(403)
    expect(errorOf(purge).Code).toBe('AWS.SimpleQueueService.PurgeQueueInProgress')
  })

  it('answers InvalidAction for an action SQS does not have', async () => {
    const response = await queryRequest({ Action: 'FooBar' })
    expect(response.status).toBe(400)
    expect(errorOf(response)).toMatchObject({ Code: 'InvalidAction', Message: 'The action FooBar is not valid for this endpoint.' })
  })

  it('answers MissingAction (400) for a form without Action', async () => {
    const response = await queryRequest({ QueueName: 'x' })
    expect(response.status).toBe(400)
    expect(errorOf(response).Code).toBe('MissingAction')
  })

  it('serves a GET with the parameters in the query string', async () => {
    const name = uniqueQueueName('query')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    const response = await queryRequest({ Action: 'GetQueueUrl', QueueName: name }, { method: 'GET' })
    expect(response.status).toBe(200)
    expect(parseXml(response.text).GetQueueUrlResponse.GetQueueUrlResult.QueueUrl).toBe(QueueUrl)
  })

  it('answers 404 to a GET without Action', async () => {
    for (const path of ['/', `/${accountId}/${uniqueQueueName('query')}`]) {
      const response = await queryRequest({}, { method: 'GET', path })
      expect(response.status).toBe(404)
      expect(response.headers.get('x-amzn-requestid')).toMatch(requestId)
    }
  })

  it('serves an action posted to the queue URL path, the path naming the queue', async () => {
    const name = uniqueQueueName('query')
    await client.createQueue({ QueueName: name })
    const sent = await queryRequest({ Action: 'SendMessage', MessageBody: 'by path' }, { path: `/${accountId}/${name}` })
    expect(sent.status).toBe(200)
    expect(parseXml(sent.text).SendMessageResponse.SendMessageResult.MessageId).toBeTruthy()
    const { Messages } = await client.receiveMessage({ QueueUrl: `${endpoint}/${accountId}/${name}` })
    expect(Messages?.[0]?.Body).toBe('by path')
  })

  it('lets a QueueUrl in the form override the path', async () => {
    const [pathName, formName] = [uniqueQueueName('query'), uniqueQueueName('query')]
    await client.createQueue({ QueueName: pathName })
    const { QueueUrl } = await client.createQueue({ QueueName: formName })
    await queryRequest({ Action: 'SendMessage', QueueUrl: QueueUrl!, MessageBody: 'to the form’s queue' }, { path: `/${accountId}/${pathName}` })
    expect((await client.receiveMessage({ QueueUrl })).Messages).toHaveLength(1)
  })

  it('answers InvalidAction to account-level actions posted to a queue URL', async () => {
    const name = uniqueQueueName('query')
    await client.createQueue({ QueueName: name })
    for (const Action of ['ListQueues', 'CreateQueue']) {
      const response = await queryRequest({ Action, QueueName: 'x' }, { path: `/${accountId}/${name}` })
      expect(response.status).toBe(400)
      expect(errorOf(response)).toMatchObject({ Code: 'InvalidAction', Message: `The action ${Action} is not valid for this endpoint.` })
    }
  })

  it('escapes quotes and carriage returns the way SQS does', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('query') })
    await client.sendMessage({ QueueUrl, MessageBody: 'a "quoted"\r\nline' })
    const response = await queryRequest({ Action: 'ReceiveMessage', QueueUrl: QueueUrl! })
    expect(response.text).toContain('<Body>a &quot;quoted&quot;&#xD;\nline</Body>')
  })
})
