/** @module bench/support/sqs-client — the unmodified JSON SQS client, optionally spreading its attempts over several DQS instances. */
import { SQS } from '@aws-sdk/client-sqs'

const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' }

interface Handler {
  handle(request: { hostname: string; port?: number }, options?: unknown): Promise<unknown>
}

let turn = 0

/**
 * A client whose every attempt (first try and each SDK retry) goes to the next of `endpoints()` in turn, the way
 * a load balancer in front of several function instances would spread them; a dead instance costs one attempt.
 */
export function sqsClient(endpoints: string | (() => string[]), options: { maxAttempts?: number; maxSockets?: number } = {}): SQS {
  const list = typeof endpoints === 'string' ? () => [endpoints] : endpoints
  const client = new SQS({
    endpoint: list()[0], region: 'us-east-1', credentials, maxAttempts: options.maxAttempts ?? 3,
    // the SDK's agent holds 50 sockets: more concurrent long polls than that would queue in the client, not wait in DQS
    ...(options.maxSockets ? { requestHandler: { httpAgent: { maxSockets: options.maxSockets } } } : {}),
  })
  if (typeof endpoints === 'string') return client
  const handler = client.config.requestHandler as unknown as Handler
  const handle = handler.handle.bind(handler)
  handler.handle = (request, handleOptions) => {
    const targets = list()
    const target = new URL(targets[turn++ % targets.length]!)
    request.hostname = target.hostname
    request.port = Number(target.port)
    return handle(request, handleOptions)
  }
  return client
}
