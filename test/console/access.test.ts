/**
 * Who reaches the console and /metrics: loopback only without credentials (and never through a foreign Host name,
 * nor in Lambda, where there is no loopback); with DQS_CREDENTIALS a sign-in with a signed HTTP-only session cookie
 * (console) or the key and secret (metrics), each showing the caller's account only.
 */
import { SQS } from '@aws-sdk/client-sqs'
import { createRuntime } from '@dqs/api'
import { loadConfig } from '@dqs/core'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { endpoint, uniqueQueueName } from '../support/clients.js'
import { startServerProcess, type ServerProcess } from '../support/server-process.js'

const alice = { accessKeyId: 'AKIDCONSOLEALICE0001', secretAccessKey: 'alice-secret', accountId: '333333333333' }
const bob = { accessKeyId: 'AKIDCONSOLEBOB000002', secretAccessKey: 'bob-secret', accountId: '444444444444' }

/** A GET with a Host header of our choosing (fetch does not let one be set). */
function getWithHost(url: string, host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { host } }, (response) => {
      let text = ''
      response.on('data', (chunk) => (text += chunk))
      response.on('end', () => resolve({ status: response.statusCode!, text }))
    }).on('error', reject).end()
  })
}

describe('without credentials', () => {
  it('answers on loopback, and refuses a request naming another host (DNS rebinding)', async () => {
    expect((await fetch(`${endpoint}/console`)).status).toBe(200)
    expect((await fetch(`${endpoint}/metrics`)).status).toBe(200)
    expect((await getWithHost(`${endpoint}/console`, 'localhost:9324')).status).toBe(200)
    const foreign = await getWithHost(`${endpoint}/console`, 'attacker.example')
    expect(foreign.status).toBe(403)
    expect(foreign.text).toContain('answers only on the loopback interface')
    expect((await getWithHost(`${endpoint}/metrics`, 'attacker.example:9324')).status).toBe(403)
  })

  it('sends security headers and refuses console API calls not made by its script', async () => {
    const page = await fetch(`${endpoint}/console`)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    const forged = await fetch(`${endpoint}/console/api/sqs/CreateQueue`, {
      method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ QueueName: uniqueQueueName('csrf') }),
    })
    expect(forged.status).toBe(403)
    // SQS validation and errors apply to console calls: the same action code answers them
    const invalid = await fetch(`${endpoint}/console/api/sqs/CreateQueue`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-dqs-console': '1' }, body: JSON.stringify({ QueueName: 'bad name!' }),
    })
    expect(invalid.status).toBe(400)
    expect((await invalid.json()).error.code).toMatch(/^InvalidParameterValue/)
    const consuming = await fetch(`${endpoint}/console/api/sqs/ReceiveMessage`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-dqs-console': '1' }, body: JSON.stringify({ QueueUrl: 'x' }),
    })
    expect(consuming.status).toBe(400)
    expect((await consuming.json()).error.code).toBe('UnknownOperationException')
  })

  it('is closed in Lambda, where no peer is on loopback', async () => {
    const runtime = createRuntime(loadConfig({ DQS_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1', DQS_EMBEDDED: 'false' }))
    expect((await runtime.app.request('http://127.0.0.1/console', { headers: { host: '127.0.0.1' } })).status).toBe(403)
    expect((await runtime.app.request('http://127.0.0.1/metrics', { headers: { host: '127.0.0.1' } })).status).toBe(403)
    runtime.db.destroy()
  })
})

describe('with DQS_CREDENTIALS', () => {
  let server: ServerProcess
  const credentials = [alice, bob].map((c) => `${c.accessKeyId}:${c.secretAccessKey}:${c.accountId}`).join(',')
  const clientOf = (who: typeof alice) => new SQS({ endpoint: server.url, region: 'us-east-1', credentials: who, maxAttempts: 1 })
  const aliceQueue = uniqueQueueName('alice')
  const bobQueue = uniqueQueueName('bob')

  beforeAll(async () => {
    server = await startServerProcess({ DQS_CREDENTIALS: credentials, DQS_RECEIPT_KEY: 'console-access-receipt-key' })
    await clientOf(alice).createQueue({ QueueName: aliceQueue })
    await clientOf(bob).createQueue({ QueueName: bobQueue })
    await clientOf(bob).sendMessage({ QueueUrl: bobQueue, MessageBody: 'for bob only' })
  }, 120_000)
  afterAll(() => server?.stop())

  async function signIn(who: { accessKeyId: string; secretAccessKey: string }) {
    return fetch(`${server.url}/console/sign-in`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams({ accessKeyId: who.accessKeyId, secretAccessKey: who.secretAccessKey }),
    })
  }

  it('asks for a sign-in, and keeps a signed HTTP-only session for the key\'s account', async () => {
    const anonymous = await fetch(`${server.url}/console`, { redirect: 'manual' })
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.get('location')).toBe('/console/sign-in')
    expect((await fetch(`${server.url}/console/fragments/queues`)).status).toBe(401)
    expect((await signIn({ ...alice, secretAccessKey: 'wrong' })).status).toBe(401)
    expect((await signIn({ accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' })).status).toBe(401)

    const signedIn = await signIn(alice)
    expect(signedIn.status).toBe(303)
    const cookie = signedIn.headers.get('set-cookie')!
    expect(cookie).toMatch(/^dqs_console=/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const session = cookie.split(';')[0]!
    const list = await (await fetch(`${server.url}/console`, { headers: { cookie: session } })).text()
    expect(list).toContain(aliceQueue)
    expect(list).not.toContain(bobQueue)
    // another account's queue does not exist for this session, through pages and API calls alike
    expect((await fetch(`${server.url}/console/queues/${bobQueue}`, { headers: { cookie: session } })).status).toBe(400)
    const peek = await fetch(`${server.url}/console/queues/${bobQueue}/fragments/messages`, { headers: { cookie: session } })
    expect((await peek.json()).error.code).toBe('QueueDoesNotExist')
    const send = await fetch(`${server.url}/console/api/sqs/SendMessage`, {
      method: 'POST', headers: { cookie: session, 'content-type': 'application/json', 'x-dqs-console': '1' },
      body: JSON.stringify({ QueueUrl: `${server.url}/${bob.accountId}/${bobQueue}`, MessageBody: 'intrusion' }),
    })
    expect((await send.json()).error.code).toBe('QueueDoesNotExist')
    // a tampered cookie is no session
    const tampered = session.replace(alice.accessKeyId, bob.accessKeyId)
    expect((await fetch(`${server.url}/console`, { headers: { cookie: tampered }, redirect: 'manual' })).status).toBe(303)
  })

  it('serves /metrics to a configured key and secret only, with that account\'s queues', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${bob.accessKeyId}:wrong` } })).status).toBe(401)
    const basic = Buffer.from(`${bob.accessKeyId}:${bob.secretAccessKey}`).toString('base64')
    const byBasic = await fetch(`${server.url}/metrics`, { headers: { authorization: `Basic ${basic}` } })
    expect(byBasic.status).toBe(200)
    const text = await byBasic.text()
    expect(text).toContain(`dqs_queue_messages_visible{queue="${bobQueue}"} 1`)
    expect(text).toContain(`dqs_queue_messages_sent_total{queue="${bobQueue}"} 1`)
    expect(text).not.toContain(aliceQueue)
    const byBearer = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${alice.accessKeyId}:${alice.secretAccessKey}` } })
    const aliceText = await byBearer.text()
    expect(aliceText).toContain(`queue="${aliceQueue}"`)
    expect(aliceText).not.toContain(bobQueue)
  })
})
