/** @module test/reliability/support/fault-proxy — an HTTP proxy in front of DynamoDB Local that throttles, fails, delays and drops on demand. */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'

/**
 * `throttle`, `error500` and `drop` never reach DynamoDB (the write did not happen); `error500-after` and
 * `drop-after` reach it and then lose the answer (the write happened, the caller cannot know); `latency` delays;
 * `throttle-statements` answers a BatchExecuteStatement 200 with every statement throttled (none applied), as
 * DynamoDB answers a batch it throttles statement by statement, and lets other requests through;
 * `deny-statements` the same with every statement refused as `AccessDenied` (a role without the table's rights).
 */
export const faults = ['throttle', 'error500', 'drop', 'error500-after', 'drop-after', 'latency', 'throttle-statements', 'deny-statements'] as const
export type Fault = (typeof faults)[number]

export interface FaultPlan {
  /** share of requests that get a fault, 0–1 */
  rate: number
  faults: readonly Fault[]
  latencyMs?: [number, number]
}

const dynamoError = (type: string, message: string) => JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message })
const throttled = dynamoError('ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.')
const internal = dynamoError('InternalServerError', 'Internal server error')

export interface FaultProxy {
  url: string
  setPlan(plan: FaultPlan | null): void
  counts(): { requests: number; forwarded: number; injected: Record<Fault, number> }
  /** DynamoDB operations (`PutItem`, `BatchWriteItem`…) that reached DynamoDB between two instants (performance.now) */
  forwardedBetween(from: number, to: number, operations: string[]): number
  close(): Promise<void>
}

export function startFaultProxy(target: string): Promise<FaultProxy> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const upstream = new URL(target)
  let plan: FaultPlan | null = null
  const injected = Object.fromEntries(faults.map((f) => [f, 0])) as Record<Fault, number>
  const totals = { requests: 0, forwarded: 0 }
  const log: Array<{ at: number; operation: string }> = []

  const forward = (req: IncomingMessage, body: Buffer) => new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
    totals.forwarded++
    log.push({ at: performance.now(), operation: String(req.headers['x-amz-target'] ?? '').split('.').pop()! })
    const out = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    out.on('error', reject)
    out.end(body)
  })

  const answer = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `proxy-${totals.requests}` })
    res.end(body)
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    totals.requests++
    const fault = plan && Math.random() < plan.rate ? plan.faults[Math.floor(Math.random() * plan.faults.length)]! : null
    if (fault) injected[fault]++
    if (fault === 'throttle') return answer(res, 400, throttled)
    if (fault === 'error500') return answer(res, 500, internal)
    if (fault === 'drop') return void req.socket.destroy()
    if ((fault === 'throttle-statements' || fault === 'deny-statements') && String(req.headers['x-amz-target']).endsWith('.BatchExecuteStatement')) {
      const statements = (JSON.parse(body.toString()) as { Statements: unknown[] }).Statements
      const error = fault === 'throttle-statements'
        ? { Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity for one or more global secondary indexes.' }
        : { Code: 'AccessDenied', Message: 'User is not authorized to perform: dynamodb:PartiQLUpdate' }
      return answer(res, 200, JSON.stringify({ Responses: statements.map(() => ({ Error: error })) }))
    }
    if (fault === 'latency') {
      const [min, max] = plan?.latencyMs ?? [50, 500]
      await new Promise((r) => setTimeout(r, min + Math.random() * (max - min)))
    }
    const result = await forward(req, body)
    if (fault === 'error500-after') return answer(res, 500, internal)
    if (fault === 'drop-after') return void req.socket.destroy()
    res.writeHead(result.status, result.headers)
    res.end(result.body)
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => handle(req, res, Buffer.concat(chunks)).catch(() => req.socket.destroy()))
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      resolve({
        url: `http://127.0.0.1:${port}`,
        setPlan: (next) => void (plan = next),
        counts: () => ({ ...totals, injected: { ...injected } }),
        forwardedBetween: (from, to, operations) => log.filter((e) => e.at >= from && e.at <= to && operations.includes(e.operation)).length,
        close: () => new Promise<void>((done) => {
          server.close(() => done())
          server.closeAllConnections()
          agent.destroy()
        }),
      })
    })
  })
}
