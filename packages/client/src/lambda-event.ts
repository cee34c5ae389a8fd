/** @module lambda-event — the SQS event Lambda passes to a function, its partial batch response, and records as SDK messages. */
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs'

/**
 * One message attribute in a Lambda record. Declared here, as a structural subset of `@types/aws-lambda`'s
 * `SQSMessageAttribute`, so that the package depends on no types package: an `SQSEvent` is accepted as it is.
 */
export interface LambdaSqsMessageAttribute {
  dataType: string
  stringValue?: string
  /** Base64 text: Lambda events are JSON. */
  binaryValue?: string
}

/** One record of a Lambda SQS event (the part of `@types/aws-lambda`'s `SQSRecord` that is read). */
export interface LambdaSqsRecord {
  messageId: string
  receiptHandle: string
  body: string
  attributes: {
    ApproximateReceiveCount: string
    SentTimestamp: string
    SequenceNumber?: string
    MessageGroupId?: string
    MessageDeduplicationId?: string
  }
  messageAttributes?: Readonly<Record<string, LambdaSqsMessageAttribute>>
  md5OfBody?: string
}

/** The event an SQS event source mapping invokes a function with. */
export interface LambdaSqsEvent {
  Records: readonly LambdaSqsRecord[]
}

/** A partial batch response: the records to leave on the queue. Needs `ReportBatchItemFailures` on the event source mapping. */
export interface PartialBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>
}

/** Base64 text as the plain Uint8Array the SDK gives for a blob, not a Buffer, so both sources compare equal. */
function fromBase64(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64')
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function toAttributeValue(attribute: LambdaSqsMessageAttribute): MessageAttributeValue {
  return {
    DataType: attribute.dataType,
    StringValue: attribute.stringValue,
    BinaryValue: attribute.binaryValue === undefined ? undefined : fromBase64(attribute.binaryValue),
  }
}

/** The record as `@aws-sdk/client-sqs` would have returned the message, so that it is parsed as a consumer parses. */
export function toSdkMessage(record: LambdaSqsRecord): Message {
  return {
    MessageId: record.messageId,
    ReceiptHandle: record.receiptHandle,
    Body: record.body,
    MD5OfBody: record.md5OfBody,
    Attributes: { ...record.attributes },
    MessageAttributes: Object.fromEntries(Object.entries(record.messageAttributes ?? {}).map(([name, value]) => [name, toAttributeValue(value)])),
  }
}
