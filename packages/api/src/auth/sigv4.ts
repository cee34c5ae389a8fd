/** @module auth/sigv4 — checks a SigV4 signature by signing the received request again with the key's secret. */
import { Sha256 } from '@aws-crypto/sha256-js'
import { AuthError } from '@dqs/core'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { createHash, timingSafeEqual } from 'node:crypto'
import type { SignatureClaim } from './signature.js'

/** AWS accepts a signature dated up to 15 minutes either side of its own clock. */
const maxSkewMs = 15 * 60_000

const mismatch = () => new AuthError('SignatureDoesNotMatch',
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.')

/** `20260101T000000Z` → ms, or NaN. */
function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate)
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN
}

const amzDateOf = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')

/** RequestExpired outside AWS's window: 15 minutes either side of `now`, or past a presigned URL's expiry. */
function checkDate(claim: SignatureClaim, signedAt: number, now: number) {
  if (Number.isNaN(signedAt)) throw new AuthError('IncompleteSignature', `Invalid X-Amz-Date '${claim.amzDate}': expected YYYYMMDD'T'HHMMSS'Z'.`)
  if (signedAt > now + maxSkewMs) {
    throw new AuthError('RequestExpired', `Signature not yet current: ${claim.amzDate} is still later than ${amzDateOf(now + maxSkewMs)} (${amzDateOf(now)} + 15 min.)`)
  }
  const oldest = claim.expiresIn === undefined ? now - maxSkewMs : now - claim.expiresIn * 1000
  if (signedAt < oldest) {
    const window = claim.expiresIn === undefined ? '15 min.' : `${claim.expiresIn} s`
    throw new AuthError('RequestExpired', `Signature expired: ${claim.amzDate} is now earlier than ${amzDateOf(oldest)} (${amzDateOf(now)} - ${window})`)
  }
}

/** The query as the signer wants it: decoded values, repeated names as lists, the signature itself left out. */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const [name, value] of url.searchParams) {
    if (name === 'X-Amz-Signature') continue
    const seen = query[name]
    query[name] = seen === undefined ? value : [...[seen].flat(), value]
  }
  return query
}

function decodedPath(pathname: string) {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return pathname
  }
}

/**
 * Signs the request as received — the headers the client listed, the exact body bytes, its date, scope and key —
 * with `@smithy/signature-v4`, and compares signatures. A client-supplied `x-amz-content-sha256` stands in for the
 * body in the signature, so it must be the hash of the bytes that actually arrived.
 */
export async function verifySignature(request: Request, url: URL, body: Uint8Array, claim: SignatureClaim, secretAccessKey: string, now: number) {
  const signedAt = parseAmzDate(claim.amzDate)
  checkDate(claim, signedAt, now)
  const headers: Record<string, string> = {}
  for (const name of claim.signedHeaders) {
    const value = request.headers.get(name)
    if (value === null) throw mismatch()
    headers[name] = value
  }
  const declaredHash = headers['x-amz-content-sha256']
  if (declaredHash !== undefined && declaredHash !== createHash('sha256').update(body).digest('hex')) throw mismatch()
  const signer = new SignatureV4({
    service: claim.service, region: claim.region, sha256: Sha256, applyChecksum: false,
    credentials: { accessKeyId: claim.accessKeyId, secretAccessKey },
  })
  const unsigned = new HttpRequest({
    method: request.method, protocol: url.protocol, hostname: url.hostname, path: decodedPath(url.pathname),
    query: queryOf(url), headers, body: body.byteLength ? body : undefined,
  })
  const options = { signingDate: new Date(signedAt), signableHeaders: new Set(claim.signedHeaders) }
  const expected = claim.form === 'header'
    ? /Signature=([0-9a-f]+)/.exec((await signer.sign(unsigned, options)).headers.authorization ?? '')?.[1]
    : String((await signer.presign(unsigned, { ...options, expiresIn: claim.expiresIn, unhoistableHeaders: options.signableHeaders })).query?.['X-Amz-Signature'])
  const given = Buffer.from(claim.signature)
  if (!expected || expected.length !== given.length || !timingSafeEqual(Buffer.from(expected), given)) throw mismatch()
}
