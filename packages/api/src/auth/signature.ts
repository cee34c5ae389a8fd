/** @module auth/signature — what a SigV4 request claims: key, scope, signed headers, date, signature (header or presigned query). */
import { AuthError } from '@dqs/core'

export interface SignatureClaim {
  form: 'header' | 'query'
  accessKeyId: string
  /** Credential scope: `<yyyymmdd>/<region>/<service>/aws4_request`. */
  day: string
  region: string
  service: string
  /** Lower-case names, as listed by the client. */
  signedHeaders: string[]
  signature: string
  /** `YYYYMMDDTHHMMSSZ`, from `X-Amz-Date` (header or query). */
  amzDate: string
  /** Presigned requests only: seconds the signature stays valid after `amzDate`. */
  expiresIn?: number
}

const algorithm = 'AWS4-HMAC-SHA256'

const incomplete = (message: string) => new AuthError('IncompleteSignature', message)

/** `AK/20260101/us-east-1/sqs/aws4_request` → key and scope; anything else is an incomplete signature. */
function readCredential(credential: string, where: string) {
  const [accessKeyId, day, region, service, terminator, ...extra] = credential.split('/')
  if (!accessKeyId || !day || !region || !service || terminator !== 'aws4_request' || extra.length) {
    throw incomplete(`${where} requires a valid 'Credential' parameter: "${credential}" is not <AccessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request.`)
  }
  return { accessKeyId, day, region, service }
}

function fromHeader(authorization: string, amzDate: string | null): SignatureClaim {
  if (!authorization.startsWith(`${algorithm} `)) {
    throw incomplete(`Unsupported AWS 'algorithm': '${authorization.split(' ')[0]}'. Only ${algorithm} is supported.`)
  }
  const fields = new Map(authorization.slice(algorithm.length).split(',').map((part) => {
    const [name = '', ...value] = part.trim().split('=')
    return [name, value.join('=')] as const
  }))
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !fields.get(name))
  if (missing.length) {
    throw incomplete(missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ') + ` Authorization=${authorization}`)
  }
  if (!amzDate) throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
  return {
    form: 'header',
    ...readCredential(fields.get('Credential')!, 'Authorization header'),
    signedHeaders: fields.get('SignedHeaders')!.split(';'),
    signature: fields.get('Signature')!,
    amzDate,
  }
}

function fromQuery(query: URLSearchParams): SignatureClaim {
  if (query.get('X-Amz-Algorithm') !== algorithm) {
    throw incomplete(`Unsupported AWS 'algorithm': '${query.get('X-Amz-Algorithm')}'. Only ${algorithm} is supported.`)
  }
  const required = ['X-Amz-Credential', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-Expires']
  const missing = required.filter((name) => !query.get(name))
  if (missing.length) throw incomplete(missing.map((name) => `AWS query-string parameters must include '${name}'.`).join(' '))
  const expiresIn = Number(query.get('X-Amz-Expires'))
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > 604_800) {
    throw incomplete('X-Amz-Expires must be an integer number of seconds from 1 to 604800.')
  }
  return {
    form: 'query',
    ...readCredential(query.get('X-Amz-Credential')!, 'X-Amz-Credential'),
    signedHeaders: query.get('X-Amz-SignedHeaders')!.split(';'),
    signature: query.get('X-Amz-Signature')!,
    amzDate: query.get('X-Amz-Date')!,
    expiresIn,
  }
}

/** Headers that must be signed whenever a request carries them (the SDKs, boto3 and the aws CLI sign both). */
const mustSign = [['x-amz-target', 'X-Amz-Target'], ['content-type', 'Content-Type']] as const

/**
 * The signature a request carries in its `Authorization` header or its presigned query string.
 * Neither → MissingAuthenticationToken; a malformed one → IncompleteSignature; one that leaves `X-Amz-Target` or
 * `Content-Type` unsigned → SignatureDoesNotMatch (all 403).
 */
export function readSignature(request: Request, url: URL): SignatureClaim {
  const authorization = request.headers.get('authorization')
  const claim = authorization
    ? fromHeader(authorization, request.headers.get('x-amz-date'))
    : url.searchParams.has('X-Amz-Algorithm') || url.searchParams.has('X-Amz-Signature')
      ? fromQuery(url.searchParams)
      : null
  if (!claim) throw new AuthError('MissingAuthenticationToken', 'Request is missing Authentication Token')
  // SigV4 binds a signature to the endpoint through the host header
  if (!claim.signedHeaders.includes('host')) throw incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.")
  // these headers choose the dialect and the JSON action: unsigned, a captured request could be replayed as another
  // action (a signed GetQueueAttributes sent again as DeleteQueue)
  for (const [name, spelled] of mustSign) {
    if (request.headers.has(name) && !claim.signedHeaders.includes(name)) {
      throw new AuthError('SignatureDoesNotMatch', `'${spelled}' must be a 'SignedHeader' in the AWS Authorization.`)
    }
  }
  return claim
}

/**
 * SignatureDoesNotMatch, with AWS's wording, unless the credential scope names SQS, this server's region and the
 * day of `X-Amz-Date`: a signature made for another service or region must not be replayable here.
 */
export function checkScope(claim: SignatureClaim, region: string) {
  const problems = [
    ...(claim.region === region ? [] : [`Credential should be scoped to a valid region, not '${claim.region}'.`]),
    ...(claim.service === 'sqs' ? [] : ["Credential should be scoped to correct service: 'sqs'."]),
    ...(claim.day === claim.amzDate.slice(0, 8) ? [] : [
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${claim.day}' != '${claim.amzDate.slice(0, 8)}', from '${claim.amzDate}'.`,
    ]),
  ]
  if (problems.length) throw new AuthError('SignatureDoesNotMatch', problems.join(' '))
}

/** The access key id a request names, without checking anything (for when authentication is not required). */
export function claimedAccessKey(request: Request, url: URL): string | undefined {
  const fromHeader = /Credential=([^/,\s]+)\//.exec(request.headers.get('authorization') ?? '')?.[1]
  return fromHeader ?? url.searchParams.get('X-Amz-Credential')?.split('/')[0]
}
