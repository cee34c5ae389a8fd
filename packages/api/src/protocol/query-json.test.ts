/** @module protocol/query-json.test — the JSON rendering of Query answers: SQS's recorded names, XML's structure. */
import { describe, expect, it } from 'vitest'
import { queryJsonError, queryJsonResponse } from './query-json.js'

const parsed = (action: string, output: Record<string, unknown>) => JSON.parse(queryJsonResponse(action, output, 'req-1'))

describe('queryJsonResponse', () => {
  it('names the result members SQS was recorded renaming, and only those', () => {
    expect(parsed('ListQueues', { QueueUrls: ['u1'], NextToken: 't' }).ListQueuesResponse.ListQueuesResult).toEqual({ queueUrls: ['u1'], NextToken: 't' })
    const message = { MessageId: 'm', Attributes: { SenderId: 's' }, MessageAttributes: { a: { DataType: 'String', StringValue: 'v' } } }
    expect(parsed('ReceiveMessage', { Messages: [message] }).ReceiveMessageResponse.ReceiveMessageResult).toEqual({ messages: [message] })
    expect(parsed('ListDeadLetterSourceQueues', { queueUrls: ['u2'] }).ListDeadLetterSourceQueuesResponse.ListDeadLetterSourceQueuesResult)
      .toEqual({ queueUrls: ['u2'] })
    const failed = { Id: 'x', SenderFault: true, Code: 'InvalidMessageContents', Message: 'm' }
    expect(parsed('SendMessageBatch', { Successful: [], Failed: [failed] }).SendMessageBatchResponse.SendMessageBatchResult)
      .toEqual({ Successful: [], Failed: [failed] })
  })

  it('wraps the result and the request id in <Action>Response, with no result where the XML document has none', () => {
    expect(parsed('GetQueueUrl', { QueueUrl: 'u' })).toEqual({
      GetQueueUrlResponse: { GetQueueUrlResult: { QueueUrl: 'u' }, ResponseMetadata: { RequestId: 'req-1' } },
    })
    expect(parsed('DeleteQueue', {})).toEqual({ DeleteQueueResponse: { ResponseMetadata: { RequestId: 'req-1' } } })
  })
})

describe('queryJsonError', () => {
  it('carries the Query code, message and fault, and the request id', () => {
    expect(JSON.parse(queryJsonError({ queryCode: 'AccessDenied', message: 'Access to the resource is denied.', fault: 'Sender' }, 'req-2'))).toEqual({
      Error: { Code: 'AccessDenied', Message: 'Access to the resource is denied.', Type: 'Sender' },
      RequestId: 'req-2',
    })
  })
})
