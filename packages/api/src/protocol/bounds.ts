/** @module protocol/bounds — how much structure a request may have before DQS reads it: all any SQS request needs, and room to spare. */
import { limits } from '@dqs/core'

/**
 * The most Query parameters, or JSON values, a request may carry. The largest SQS request is a SendMessageBatch:
 * per entry 5 fields (Id, body, delay, group and deduplication ids) and 11 attributes (10 message attributes and
 * AWSTraceHeader) of 4 fields each (Name, DataType, StringValue, BinaryValue), plus about 16 for the envelope and
 * query-string signing: 506. Four times that leaves room for clients that repeat or pad fields; more can only cost
 * the server time (every parameter, or every wrongly typed value, is a validation issue of its own), so such a
 * request is refused before it is parsed.
 */
export const maxParameters = 4 * (limits.batchMaxEntries * (5 + (limits.messageAttributes + 1) * 4) + 16)
