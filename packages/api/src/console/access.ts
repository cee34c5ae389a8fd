/**
 * @module console/access — who may use the operator console and /metrics, and for which account.
 *
 * - No credentials configured (DQS_CREDENTIALS unset, signatures not required): both answer only to peers on the
 *   loopback interface, whose Host header names a loopback address (a page on another site cannot reach them
 *   through DNS rebinding), and act for the default account. Without a socket to ask (Lambda) nobody is on loopback.
 * - Credentials configured (or DQS_REQUIRE_AUTH): the console asks for an access key and its secret once and keeps a
 *   signed, HTTP-only, SameSite=Strict session cookie naming the key; every console request acts for that key's
 *   account, and stops working when the key is removed or its secret changes. /metrics takes the same key and secret
 *   as HTTP Basic credentials or as a bearer token `<accessKeyId>:<secret>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie'
import type { AuthConfig } from '../auth/authenticate.js'

export const sessionCookie = 'dqs_console'
/** A console session lasts a working day; signing in again starts a new one. */
const sessionSeconds = 8 * 3600

export interface Operator {
  accountId: string
  /** The access key signed in with; absent on loopback without credentials. */
  accessKeyId?: string
}

/** Whether the console and metrics need credentials (else: loopback only). */
export const signInRequired = (auth: AuthConfig) => auth.credentials.size > 0 || auth.requireAuth

const loopbackAddress = (address: string) =>
  /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || address === '::1' || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address)

const loopbackHost = (host: string) => {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '')
  return name === 'localhost' || loopbackAddress(name)
}

/** The peer's address as the Node server saw it (hono/node-server passes the request in `env.incoming`). */
function peerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined
  return env?.incoming?.socket?.remoteAddress
}

/** A request from this machine, to a loopback name. */
export function fromLoopback(c: Context): boolean {
  const peer = peerAddress(c)
  const host = c.req.header('host') ?? ''
  return peer !== undefined && loopbackAddress(peer) && loopbackHost(host)
}

/** Fixed per key and secret: a session ends when the key's secret changes. */
const fingerprint = (accessKeyId: string, secret: string) => createHmac('sha256', secret).update(`dqs-console:${accessKeyId}`).digest('base64url').slice(0, 22)

/**
 * The key that signs session cookies: the receipt key (required and secret whenever signatures are) mixed with the
 * configured secrets, so that even a server left with the public local receipt key signs with something secret.
 */
export function sessionKey(receiptKey: string, auth: AuthConfig) {
  const hmac = createHmac('sha256', receiptKey).update('dqs-console-session')
  for (const [key, { secretAccessKey }] of [...auth.credentials].sort(([a], [b]) => (a < b ? -1 : 1))) hmac.update(`\n${key}:${secretAccessKey}`)
  return hmac.digest('base64url')
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The account of a configured key whose secret matches, or null. */
export function checkCredentials(auth: AuthConfig, accessKeyId: string, secret: string): (Operator & { accessKeyId: string }) | null {
  const credential = auth.credentials.get(accessKeyId)
  // compare anyway, so that an unknown key takes as long as a wrong secret
  const ok = sameText(credential?.secretAccessKey ?? '\0', secret) && credential !== undefined
  return ok ? { accountId: credential.accountId, accessKeyId } : null
}

export async function startSession(c: Context, key: string, auth: AuthConfig, operator: Operator & { accessKeyId: string }, now: number) {
  const secret = auth.credentials.get(operator.accessKeyId)?.secretAccessKey ?? ''
  const value = `${Math.floor(now / 1000) + sessionSeconds}.${fingerprint(operator.accessKeyId, secret)}.${operator.accessKeyId}`
  const https = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'
  await setSignedCookie(c, sessionCookie, value, key, { httpOnly: true, sameSite: 'Strict', path: '/console', maxAge: sessionSeconds, secure: https })
}

export function endSession(c: Context) {
  deleteCookie(c, sessionCookie, { path: '/console' })
}

/** The operator of a signed-in session, or null. */
export async function sessionOperator(c: Context, key: string, auth: AuthConfig, now: number): Promise<Operator | null> {
  const value = await getSignedCookie(c, key, sessionCookie)
  if (!value) return null
  const [expires, print] = value.split('.', 2)
  const accessKeyId = value.slice((expires?.length ?? 0) + (print?.length ?? 0) + 2)
  const credential = accessKeyId ? auth.credentials.get(accessKeyId) : undefined
  if (!credential || !expires || Number(expires) * 1000 <= now || !print) return null
  if (!sameText(print, fingerprint(accessKeyId!, credential.secretAccessKey))) return null
  return { accountId: credential.accountId, accessKeyId }
}

/** The scraper of /metrics: HTTP Basic (key, secret) or `Bearer <key>:<secret>`, checked like a sign-in. */
export function metricsOperator(c: Context, auth: AuthConfig): Operator | null {
  const header = c.req.header('authorization') ?? ''
  const [scheme, token] = [header.slice(0, header.indexOf(' ')).toLowerCase(), header.slice(header.indexOf(' ') + 1).trim()]
  let pair: string
  if (scheme === 'basic') pair = Buffer.from(token, 'base64').toString('utf8')
  else if (scheme === 'bearer') pair = token
  else return null
  const at = pair.indexOf(':')
  if (at <= 0) return null
  return checkCredentials(auth, pair.slice(0, at), pair.slice(at + 1))
}
