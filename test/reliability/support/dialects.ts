/** @module test/reliability/support/dialects — send/receive/delete batches as raw JSON 1.0 or Query requests, and reading their answers. */
import { jsonRequest, parseXml, queryRequest, type RawRequest } from './raw-http.js'

export interface ReceivedRaw {
  MessageId: string
  Body: string
  ReceiptHandle: string
}

export interface RawDialect {
  name: 'json' | 'query'
  sendBatch(queueUrl: string, entries: Array<{ Id: string; MessageBody: string }>): RawRequest
  receive(queueUrl: string, waitSeconds: number): RawRequest
  deleteBatch(queueUrl: string, entries: Array<{ Id: string; ReceiptHandle: string }>): RawRequest
  /** ids in Successful (send and delete batches) */
  successfulIds(text: string): string[]
  messages(text: string): ReceivedRaw[]
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])

export const json: RawDialect = {
  name: 'json',
  sendBatch: (QueueUrl, Entries) => jsonRequest('SendMessageBatch', { QueueUrl, Entries }),
  receive: (QueueUrl, WaitTimeSeconds) => jsonRequest('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds }),
  deleteBatch: (QueueUrl, Entries) => jsonRequest('DeleteMessageBatch', { QueueUrl, Entries }),
  successfulIds: (text) => list((JSON.parse(text) as { Successful?: Array<{ Id: string }> }).Successful).map((s) => s.Id),
  messages: (text) => list((JSON.parse(text) as { Messages?: ReceivedRaw[] }).Messages),
}

/** `<Action>Response/<Action>Result` of a Query answer. */
function result(text: string, action: string): Record<string, unknown> {
  const response = parseXml(text)[`${action}Response`] as Record<string, unknown> | undefined
  return (response?.[`${action}Result`] as Record<string, unknown> | undefined) ?? {}
}

export const query: RawDialect = {
  name: 'query',
  sendBatch: (QueueUrl, entries) => queryRequest({
    Action: 'SendMessageBatch', QueueUrl,
    ...Object.fromEntries(entries.flatMap((e, i) => [[`SendMessageBatchRequestEntry.${i + 1}.Id`, e.Id], [`SendMessageBatchRequestEntry.${i + 1}.MessageBody`, e.MessageBody]])),
  }),
  receive: (QueueUrl, wait) => queryRequest({ Action: 'ReceiveMessage', QueueUrl, MaxNumberOfMessages: '10', WaitTimeSeconds: String(wait) }),
  deleteBatch: (QueueUrl, entries) => queryRequest({
    Action: 'DeleteMessageBatch', QueueUrl,
    ...Object.fromEntries(entries.flatMap((e, i) => [[`DeleteMessageBatchRequestEntry.${i + 1}.Id`, e.Id], [`DeleteMessageBatchRequestEntry.${i + 1}.ReceiptHandle`, e.ReceiptHandle]])),
  }),
  successfulIds: (text) => {
    const root = Object.keys(parseXml(text)).find((k) => k.endsWith('BatchResponse'))!.replace(/Response$/, '')
    return list(result(text, root)[`${root}ResultEntry`] as Array<{ Id: string }> | undefined).map((e) => String(e.Id))
  },
  messages: (text) => list(result(text, 'ReceiveMessage').Message as ReceivedRaw[] | undefined),
}
