/** @module model/message-attributes — the shape of message (user) and system attributes, shared by validation, MD5 and storage. */

/** One attribute as SQS carries it: strings and numbers in `StringValue`, binary as base64 in `BinaryValue`. */
export interface MessageAttributeValue {
  DataType: string
  StringValue?: string
  /** Base64 of the raw bytes (what both wire protocols carry). */
  BinaryValue?: string
}

export type MessageAttributes = Record<string, MessageAttributeValue>
