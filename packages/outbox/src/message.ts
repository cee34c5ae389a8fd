/** @module message — what `sendItems` takes, checked at the edge; the engine then applies SendMessage's own rules. */
import * as z from 'zod'

const attributeValue = z.object({
  DataType: z.string(),
  StringValue: z.string().optional(),
  BinaryValue: z.string().optional(),
})

/**
 * One message, with SendMessage's parameters in camelCase. `attributes` are SQS message attributes
 * (`{ DataType, StringValue | BinaryValue }`, Binary as base64), `DQS.DeliverAt` / `DQS.DelaySeconds` included.
 */
export const outboxMessage = z.object({
  body: z.string(),
  attributes: z.record(z.string(), attributeValue).optional(),
  /** 0–900, as SendMessage's DelaySeconds (standard queues). */
  delaySeconds: z.number().int().optional(),
  /** Required on FIFO queues; optional on standard queues, as on SQS. */
  messageGroupId: z.string().optional(),
  /** FIFO queues without ContentBasedDeduplication. */
  messageDeduplicationId: z.string().optional(),
  /** X-Ray trace header, stored as the AWSTraceHeader system attribute. */
  traceHeader: z.string().optional(),
})

export type OutboxMessage = z.input<typeof outboxMessage>
