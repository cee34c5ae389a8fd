/** The console and /metrics as the deployed Api function serves them: literal function-URL events, linked secrets. */
import { HttpRequest } from '@smithy/protocol-http'
import { beforeAll, describe, expect, it } from 'vitest'
import { uniqueQueueName } from '../support/clients.js'
import { coldStartApi } from '../lambda/linked.js'
import { functionUrlHost, lambdaContext, toEvent, type LambdaHandler } from '../lambda/transport.js'

const carol = { accessKeyId: 'AKIDCONSOLECAROL0001', secretAccessKey: 'carol-secret', accountId: '555555555555' }
let handler: LambdaHandler

beforeAll(async () => {
  handler = await coldStartApi(
    { credentials: `${carol.accessKeyId}:${carol.secretAccessKey}:${carol.accountId}`, receiptKey: 'console-lambda-receipt-key' },
    { AWS_REGION: 'eu-west-1' },
  )
})

/** One request through the function URL: status, headers, body, and the cookies it sets. */
async function call(method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}) {
  const [pathname, query] = path.split('?')
  const request = new HttpRequest({
    method, protocol: 'https:', hostname: functionUrlHost, path: pathname!,
    query: Object.fromEntries(new URLSearchParams(query ?? '')),
    headers: { host: functionUrlHost, ...options.headers },
    body: options.body,
  })
  const result = await handler(toEvent(request, 'function-url'), lambdaContext)
  return { status: result.statusCode, headers: result.headers ?? {}, body: result.body ?? '', cookies: result.cookies ?? [] }
}

describe('the console in the Api function', () => {
  it('signs in with a linked key, then serves the account\'s queues and takes console API calls', async () => {
    const anonymous = await call('GET', '/console')
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.location).toBe('/console/sign-in')
    expect((await call('GET', '/console/sign-in')).body).toContain('Secret access key')

    const form = { 'content-type': 'application/x-www-form-urlencoded' }
    expect((await call('POST', '/console/sign-in', { headers: form, body: `accessKeyId=${carol.accessKeyId}&secretAccessKey=nope` })).status).toBe(401)
    const signedIn = await call('POST', '/console/sign-in', { headers: form, body: `accessKeyId=${carol.accessKeyId}&secretAccessKey=${carol.secretAccessKey}` })
    expect(signedIn.status).toBe(303)
    const cookie = signedIn.cookies.find((c) => c.startsWith('dqs_console='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/Secure/)
    const session = { cookie: cookie.split(';')[0]! }

    const name = uniqueQueueName('lambda-console')
    const created = await call('POST', '/console/api/sqs/CreateQueue', {
      headers: { ...session, 'content-type': 'application/json', 'x-dqs-console': '1' }, body: JSON.stringify({ QueueName: name }),
    })
    expect(created.status).toBe(200)
    expect(JSON.parse(created.body).QueueUrl).toBe(`https://${functionUrlHost}/${carol.accountId}/${name}`)
    const list = await call('GET', `/console?prefix=${name}`, { headers: session })
    expect(list.status).toBe(200)
    expect(list.headers['content-type']).toMatch(/^text\/html/)
    expect(list.body).toContain(`data-queue="${name}"`)
    const page = await call('GET', `/console/queues/${name}`, { headers: session })
    expect(page.body).toContain(`arn:aws:sqs:eu-west-1:${carol.accountId}:${name}`)
    expect((await call('GET', '/console/assets/console.js')).headers['content-type']).toMatch(/javascript/)
  })

  it('serves /metrics to a linked key only', async () => {
    expect((await call('GET', '/metrics')).status).toBe(401)
    const scraped = await call('GET', '/metrics?prefix=lambda-console', { headers: { authorization: `Bearer ${carol.accessKeyId}:${carol.secretAccessKey}` } })
    expect(scraped.status).toBe(200)
    expect(scraped.body).toContain('# TYPE dqs_queue_messages_visible gauge')
    expect(scraped.body).toMatch(/dqs_queue_messages_visible\{queue="lambda-console-[0-9a-f]+"\} 0/)
  })
})
