/** @module queue — typed queues: `queue(urlOrName, options)` with send, sendMany and the parsing consumers use. */
import { GetQueueUrlCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs'
import type * as z from 'zod'
import { bodyCodec, type BodyCodec, type BodyFormat, type BodySchema } from './body.js'
import { toReceivedMessage, type InvalidMessage, type ReceivedMessage } from './message.js'
import type { RetryOptions } from './retry.js'
import { sendInBatches, type SendResult } from './send.js'
import { toSendEntry, type AnySendOptions, type SendArguments, type SendManyArguments, type SendManyOptions } from './send-options.js'

/** Options of {@link queue}. */
export interface QueueOptions {
  /** The SQS client to send through; share one per process. Default: `new SQSClient({})` (region and credentials from the environment). */
  client?: SQSClient
  /** A zod schema for the body: sends are checked against it (the input type) and receives parsed by it (the output type). */
  schema?: BodySchema
  /** `json` (default) or `raw` strings. */
  bodyFormat?: BodyFormat
  /** Whether the queue is FIFO. Default: whether the name or URL ends in `.fifo` (a `.fifo` literal also sets the type). */
  fifo?: boolean
  /** Declare that the FIFO queue has ContentBasedDeduplication, which makes `messageDeduplicationId` optional. */
  contentBasedDeduplication?: boolean
  /** Retries of SendMessageBatch entries that failed on the service's side (`SenderFault: false`). */
  retry?: RetryOptions
}

type Fifo<Name extends string, O> = O extends { fifo: infer F extends boolean } ? F : Name extends `${string}.fifo` ? true : false
type ContentDeduplication<O> = O extends { contentBasedDeduplication: true } ? true : false
type BodyIn<O> = O extends { schema: infer S extends BodySchema } ? z.input<S> : O extends { bodyFormat: 'raw' } ? string : unknown
type BodyOut<O> = O extends { schema: infer S extends BodySchema } ? z.output<S> : O extends { bodyFormat: 'raw' } ? string : unknown

/** A received message after parsing: valid, or invalid with the reason. */
export type ParsedMessage<T> = { ok: true; message: ReceivedMessage<T> } | { ok: false; message: InvalidMessage }

/** What a consumer needs from a queue; {@link Queue} is one. */
export interface MessageSource<T> {
  readonly client: SQSClient
  readonly fifo: boolean
  /** The queue URL, resolved once. */
  url(): Promise<string>
  /** Parses a received SDK message's body and attributes. */
  parse(message: Message): ParsedMessage<T>
}

/** The ids SQS gave a sent message. */
export interface SentMessage {
  messageId: string
  /** FIFO queues only: the message's place in its group. */
  sequenceNumber?: string
}

const isUrl = (text: string) => /^https?:\/\//.test(text)

/**
 * A queue with a typed body. `In` is what `send` takes, `Out` what consumers receive (they differ when the schema
 * transforms); `IsFifo` and `IsContentDeduplicated` decide which send options are required. Create with {@link queue}.
 */
export class Queue<In, Out, IsFifo extends boolean = boolean, IsContentDeduplicated extends boolean = boolean> implements MessageSource<Out> {
  /** The SQS client every request of this queue (and of its consumers) goes through. */
  readonly client: SQSClient
  /** Whether the queue is FIFO: from the `fifo` option, else from the `.fifo` suffix. */
  readonly fifo: IsFifo
  private readonly codec: BodyCodec<In, Out>
  private resolvedUrl?: Promise<string>

  constructor(private readonly urlOrName: string, private readonly options: QueueOptions = {}) {
    this.client = options.client ?? new SQSClient({})
    this.fifo = (options.fifo ?? urlOrName.endsWith('.fifo')) as IsFifo
    this.codec = bodyCodec(options.bodyFormat ?? 'json', options.schema)
  }

  /** The queue URL: the argument itself, or GetQueueUrl's answer for a name, asked once (again only after a failure). */
  url(): Promise<string> {
    if (isUrl(this.urlOrName)) return Promise.resolve(this.urlOrName)
    this.resolvedUrl ??= this.client.send(new GetQueueUrlCommand({ QueueName: this.urlOrName })).then(
      (output) => output.QueueUrl!,
      (error: unknown) => {
        this.resolvedUrl = undefined
        throw error
      },
    )
    return this.resolvedUrl
  }

  /**
   * Sends one message with SendMessage. Throws the SDK's error (e.g. `InvalidMessageContents`), or a `ZodError`
   * before any request when the body does not match the schema.
   *
   * @example
   * await orders.send({ id: 'o-1', total: 42 }, { messageGroupId: 'customer-7', messageDeduplicationId: 'o-1' })
   */
  async send(body: In, ...args: SendArguments<IsFifo, IsContentDeduplicated>): Promise<SentMessage> {
    const entry = toSendEntry(this.codec.serialize(body), args[0] as AnySendOptions | undefined, this.fifo)
    const output = await this.client.send(new SendMessageCommand({ QueueUrl: await this.url(), ...entry }))
    return { messageId: output.MessageId!, sequenceNumber: output.SequenceNumber }
  }

  /**
   * Sends many messages with SendMessageBatch: split into batches of at most 10 messages and 1 MiB, failed entries
   * retried when SQS says the fault was its own. Returns one {@link SendResult} per body, in order; it throws only
   * before anything is sent: a body that does not serialize (schema, FIFO options), or a name GetQueueUrl cannot resolve.
   *
   * @example
   * const results = await orders.sendMany(list, (order) => ({ messageGroupId: order.customer, messageDeduplicationId: order.id }))
   * const failed = results.filter((r) => !r.ok)
   */
  async sendMany(bodies: readonly In[], ...args: SendManyArguments<In, IsFifo, IsContentDeduplicated>): Promise<SendResult[]> {
    const options = args[0] as SendManyOptions<In, boolean, boolean> | undefined
    const entries = bodies.map((body, index) =>
      toSendEntry(this.codec.serialize(body), typeof options === 'function' ? options(body, index) : options, this.fifo))
    if (entries.length === 0) return []
    return sendInBatches(this.client, await this.url(), entries, { fifo: this.fifo, retry: this.options.retry })
  }

  /** Parses a received SDK message: its body through the queue's format and schema, its attributes into plain values. */
  parse(message: Message): ParsedMessage<Out> {
    const text = message.Body ?? ''
    const parsed = this.codec.parse(text)
    if (parsed.ok) return { ok: true, message: toReceivedMessage(message, parsed.body) }
    return { ok: false, message: { ...toReceivedMessage(message, text), error: parsed.error } }
  }
}

/**
 * A typed queue by URL or name (a name is resolved with GetQueueUrl on first use). A name literal ending in
 * `.fifo`, or `fifo: true`, makes `messageGroupId` (and, without `contentBasedDeduplication: true`,
 * `messageDeduplicationId`) required by the types of `send` and `sendMany`.
 *
 * @example
 * const Order = z.object({ id: z.string(), total: z.number() })
 * const orders = queue('orders', { client: sqs, schema: Order })
 * await orders.send({ id: 'o-1', total: 42 }, { messageAttributes: { tenant: 'acme' } })
 */
export function queue<const Name extends string, const O extends QueueOptions = {}>(
  urlOrName: Name,
  options?: O,
): Queue<BodyIn<O>, BodyOut<O>, Fifo<Name, O>, ContentDeduplication<O>> {
  return new Queue(urlOrName, options)
}
