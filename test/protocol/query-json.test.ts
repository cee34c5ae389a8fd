/** Query requests whose Accept asks for JSON: SQS answers them with JSON objects (docs/reference/sqs.md §d.3). */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { accountId, jsonClient, uniqueQueueName } from '../support/clients.js'
import { jsonRequest, parseXml, queryRequest, type RawResponse } from '../support/raw.js'

const client = jsonClient()
const acceptJson = { accept: 'application/json' }
const asksJson = (params: Record<string, string>, options: { path?: string; method?: 'GET' | 'POST' } = {}) =>
  queryRequest(params, { ...options, headers: acceptJson })
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex')

/** The body of a JSON answer, checking its content type and that its RequestId is the header's. */
function bodyOf(response: RawResponse, status = 200) {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toBe('application/json')
  const body = JSON.parse(response.text) as Record<string, any>
  const requestId = response.headers.get('x-amzn-requestid')
  expect(requestId).toBeTruthy()
  const [envelope] = Object.values(body)
  expect(status === 200 ? envelope.ResponseMetadata.RequestId : body.RequestId).toBe(requestId)
  return body
}

async function newQueue() {
  const name = uniqueQueueName('qjson')
  const { QueueUrl } = await client.createQueue({ QueueName: name })
  return { name, QueueUrl: QueueUrl! }
}

describe('Query requests with Accept: application/json', () => {
  it('answer with {"<Action>Response": {"<Action>Result": …, "ResponseMetadata": {"RequestId": …}}}', async () => {
    const { QueueUrl } = await newQueue()
    const body = bodyOf(await asksJson({ Action: 'SendMessage', QueueUrl, MessageBody: 'hello' }))
    expect(Object.keys(body)).toEqual(['SendMessageResponse'])
    expect(Object.keys(body.SendMessageResponse).sort()).toEqual(['ResponseMetadata', 'SendMessageResult'])
    expect(body.SendMessageResponse.SendMessageResult).toEqual({ MessageId: expect.any(String), MD5OfMessageBody: md5('hello') })
  })

  it('write the queue URLs of ListQueues as an array named queueUrls, as SQS does', async () => {
    const prefix = uniqueQueueName('qjson-list')
    const urls = [(await client.createQueue({ QueueName: `${prefix}-a` })).QueueUrl, (await client.createQueue({ QueueName: `${prefix}-b` })).QueueUrl]
    const body = bodyOf(await asksJson({ Action: 'ListQueues', QueueNamePrefix: prefix }))
    expect(body.ListQueuesResponse.ListQueuesResult).toEqual({ queueUrls: urls })
    const one = bodyOf(await asksJson({ Action: 'ListQueues', QueueNamePrefix: `${prefix}-a` }))
    expect(one.ListQueuesResponse.ListQueuesResult).toEqual({ queueUrls: [urls[0]] })
  })

  it('write received messages as an array named messages, their attributes and message attributes as objects', async () => {
    const { QueueUrl } = await newQueue()
    await client.sendMessage({ QueueUrl, MessageBody: 'hi', MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } } })
    const params = { Action: 'ReceiveMessage', QueueUrl, 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All' }
    const [message] = bodyOf(await asksJson(params)).ReceiveMessageResponse.ReceiveMessageResult.messages
    expect(message).toMatchObject({
      MessageId: expect.any(String), ReceiptHandle: expect.any(String), Body: 'hi', MD5OfBody: md5('hi'),
      MD5OfMessageAttributes: expect.any(String),
      Attributes: { SenderId: expect.any(String), SentTimestamp: expect.stringMatching(/^\d+$/), ApproximateReceiveCount: '1' },
      MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } },
    })
    expect(bodyOf(await asksJson(params)).ReceiveMessageResponse.ReceiveMessageResult).toEqual({})
  })

  it('write queue attributes and tags as objects', async () => {
    const { QueueUrl } = await newQueue()
    await client.tagQueue({ QueueUrl, Tags: { team: 'a', stage: 'b' } })
    const attributes = bodyOf(await asksJson({ Action: 'GetQueueAttributes', QueueUrl, 'AttributeName.1': 'VisibilityTimeout' }))
    expect(attributes.GetQueueAttributesResponse.GetQueueAttributesResult).toEqual({ Attributes: { VisibilityTimeout: '30' } })
    const tags = bodyOf(await asksJson({ Action: 'ListQueueTags', QueueUrl }))
    expect(tags.ListQueueTagsResponse.ListQueueTagsResult).toEqual({ Tags: { team: 'a', stage: 'b' } })
  })

  it('write batch results as Successful and Failed arrays, SenderFault a boolean', async () => {
    const { QueueUrl } = await newQueue()
    const body = bodyOf(await asksJson({
      Action: 'SendMessageBatch', QueueUrl,
      'SendMessageBatchRequestEntry.1.Id': 'good', 'SendMessageBatchRequestEntry.1.MessageBody': 'fine',
      'SendMessageBatchRequestEntry.2.Id': 'bad', 'SendMessageBatchRequestEntry.2.MessageBody': 'bell \u0007',
    }))
    const result = body.SendMessageBatchResponse.SendMessageBatchResult
    expect(result.Successful).toEqual([{ Id: 'good', MessageId: expect.any(String), MD5OfMessageBody: md5('fine') }])
    expect(result.Failed).toEqual([{ Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents', Message: expect.any(String) }])
  })

  it('answer actions without a result with ResponseMetadata alone', async () => {
    const { QueueUrl } = await newQueue()
    const response = await asksJson({ Action: 'SetQueueAttributes', QueueUrl, 'Attribute.1.Name': 'DelaySeconds', 'Attribute.1.Value': '5' })
    expect(bodyOf(response)).toEqual({ SetQueueAttributesResponse: { ResponseMetadata: { RequestId: response.headers.get('x-amzn-requestid') } } })
  })

  it('write errors as {"Error": {"Code", "Message", "Type"}, "RequestId"} at the modelled status, in Query’s codes and wording', async () => {
    const missing = await asksJson({ Action: 'GetQueueUrl', QueueName: uniqueQueueName('none') })
    expect(bodyOf(missing, 400)).toEqual({
      Error: { Code: 'AWS.SimpleQueueService.NonExistentQueue', Message: 'The specified queue does not exist for this wsdl version.', Type: 'Sender' },
      RequestId: missing.headers.get('x-amzn-requestid'),
    })
    expect(bodyOf(await asksJson({ Action: 'FooBar' }), 400).Error).toEqual({
      Code: 'InvalidAction', Message: 'The action FooBar is not valid for this endpoint.', Type: 'Sender',
    })
    const { QueueUrl } = await newQueue()
    await asksJson({ Action: 'PurgeQueue', QueueUrl })
    expect(bodyOf(await asksJson({ Action: 'PurgeQueue', QueueUrl }), 403).Error.Code).toBe('AWS.SimpleQueueService.PurgeQueueInProgress')
  })

  it('are answered in JSON when posted to the queue’s URL path with the action in the query string, as API Gateway sends them', async () => {
    const { name } = await newQueue()
    const path = `/${accountId}/${name}?Action=SendMessage&MessageBody=via%20path`
    expect(bodyOf(await asksJson({}, { path })).SendMessageResponse.SendMessageResult.MD5OfMessageBody).toBe(md5('via path'))
    const received = bodyOf(await asksJson({ Action: 'ReceiveMessage' }, { path: `/${accountId}/${name}` }))
    expect(received.ReceiveMessageResponse.ReceiveMessageResult.messages.map((m: { Body: string }) => m.Body)).toEqual(['via path'])
  })
})

describe('Choosing the answer’s format', () => {
  it('answers JSON when application/json is one of several listed media types', async () => {
    const response = await queryRequest({ Action: 'ListQueues', QueueNamePrefix: uniqueQueueName('none') }, {
      headers: { accept: 'text/plain;q=0.5, Application/JSON; charset=utf-8, */*' },
    })
    expect(bodyOf(response).ListQueuesResponse.ListQueuesResult).toEqual({})
  })

  it('answers XML when Accept does not list application/json', async () => {
    for (const accept of ['*/*', 'text/xml', 'application/xml, application/jsonp']) {
      const response = await queryRequest({ Action: 'ListQueues', QueueNamePrefix: uniqueQueueName('none') }, { headers: { accept } })
      expect(response.headers.get('content-type')).toBe('text/xml')
      expect(parseXml(response.text).ListQueuesResponse).toBeDefined()
    }
  })

  it('keeps AWS JSON 1.0 answers for JSON 1.0 requests that also accept application/json', async () => {
    const response = await jsonRequest('GetQueueUrl', { QueueName: uniqueQueueName('none') }, { headers: acceptJson })
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0')
    expect(JSON.parse(response.text)).toEqual({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' })
  })

  it('still answers a GET without Action with an XML 404, as SQS does', async () => {
    const response = await asksJson({}, { method: 'GET', path: `/${accountId}/${uniqueQueueName('none')}` })
    expect(response.status).toBe(404)
    expect(response.text).toBe('<UnknownOperationException/>')
  })
})
