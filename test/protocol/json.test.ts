import { describe, expect, it } from 'vitest'
import { accountId, jsonClient, uniqueQueueName } from '../support/clients.js'
import { jsonRequest } from '../support/raw.js'

const requestId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const client = jsonClient()

describe('AWS JSON 1.0 protocol', () => {
  it('answers success with the JSON content type and an x-amzn-RequestId', async () => {
    const response = await jsonRequest('ListQueues', { QueueNamePrefix: uniqueQueueName('none') })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0')
    expect(response.headers.get('x-amzn-requestid')).toMatch(requestId)
    expect(JSON.parse(response.text)).toEqual({})
  })

  it('gives a modelled error its com.amazonaws.sqs __type and the Query code in x-amzn-query-error', async () => {
    const response = await jsonRequest('GetQueueUrl', { QueueName: uniqueQueueName('none') })
    expect(response.status).toBe(400)
    expect(response.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender')
    expect(response.headers.get('x-amzn-requestid')).toMatch(requestId)
    expect(JSON.parse(response.text)).toEqual({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' })
  })

  it('gives a common error the com.amazon.coral.service namespace', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('json') })
    const response = await jsonRequest('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 11 })
    expect(response.status).toBe(400)
    expect(response.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender')
    expect(JSON.parse(response.text)).toEqual({
      __type: 'com.amazon.coral.service#InvalidParameterValueException',
      message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    })
  })

  it('sends the modelled HTTP status: 404 for ReceiptHandleIsInvalid, 403 for PurgeQueueInProgress', async () => {
    const { QueueUrl } = await client.createQueue({ QueueName: uniqueQueueName('json') })
    const handle = await jsonRequest('DeleteMessage', { QueueUrl, ReceiptHandle: 'garbage' })
    expect([handle.status, handle.headers.get('x-amzn-query-error')]).toEqual([404, 'ReceiptHandleIsInvalid;Sender'])
    await jsonRequest('PurgeQueue', { QueueUrl })
    const purge = await jsonRequest('PurgeQueue', { QueueUrl })
    expect([purge.status, purge.headers.get('x-amzn-query-error')]).toEqual([403, 'AWS.SimpleQueueService.PurgeQueueInProgress;Sender'])
    expect(JSON.parse(purge.text).__type).toBe('com.amazonaws.sqs#PurgeQueueInProgress')
  })

  it('answers InvalidAction for an operation SQS does not have', async () => {
    const response = await jsonRequest('FooBar', {})
    expect(response.status).toBe(400)
    expect(response.headers.get('x-amzn-query-error')).toBe('InvalidAction;Sender')
    expect(JSON.parse(response.text)).toEqual({
      __type: 'com.amazon.coral.service#UnknownOperationException', message: 'The action FooBar is not valid for this endpoint.',
    })
  })

  it('does not take inherited object members for operations', async () => {
    for (const action of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const response = await jsonRequest(action, {})
      expect(response.status).toBe(400)
      expect(response.headers.get('x-amzn-query-error')).toBe('InvalidAction;Sender')
    }
  })

  it('answers 400 for a body that is not a JSON object', async () => {
    for (const body of ['{"QueueName":', 'not json', '[]', '"text"', 'null', '42']) {
      const response = await jsonRequest('CreateQueue', body)
      expect(response.status).toBe(400)
      expect(response.headers.get('x-amzn-query-error')).toMatch(/;Sender$/)
      expect(JSON.parse(response.text).__type).toMatch(/^com\.amazon\.coral\.service#/)
    }
  })

  it('answers MissingParameter for a missing required member', async () => {
    const response = await jsonRequest('CreateQueue', {})
    expect(response.status).toBe(400)
    expect(JSON.parse(response.text)).toEqual({
      __type: 'com.amazon.coral.service#MissingRequiredParameterException', message: 'The request must contain the parameter QueueName.',
    })
  })

  it('answers InvalidParameterValue for a member of the wrong type', async () => {
    const response = await jsonRequest('CreateQueue', { QueueName: 42 })
    expect(response.status).toBe(400)
    expect(response.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender')
  })

  it('serves a JSON request posted to the queue URL path, as the PHP SDK sends it', async () => {
    const name = uniqueQueueName('json')
    const { QueueUrl } = await client.createQueue({ QueueName: name })
    const sent = await jsonRequest('SendMessage', { QueueUrl, MessageBody: 'via path' }, { path: `/${accountId}/${name}` })
    expect(sent.status).toBe(200)
    expect(JSON.parse(sent.text).MessageId).toBeTruthy()
    const listed = await jsonRequest('ListQueues', { QueueNamePrefix: name }, { path: `/${accountId}/${name}` })
    expect(JSON.parse(listed.text).QueueUrls).toEqual([QueueUrl])
  })

  it('accepts a charset on the content type and a request without a body', async () => {
    const response = await jsonRequest('ListQueues', '', { headers: { 'content-type': 'application/x-amz-json-1.0; charset=utf-8' } })
    expect(response.status).toBe(200)
  })
})
