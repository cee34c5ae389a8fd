/** @module auth/authenticate — which account a request acts for. */

export interface AuthConfig {
  defaultAccountId: string
  /** access key id → secret and account */
  credentials: Map<string, { secretAccessKey: string; accountId: string }>
  requireAuth: boolean
}

/** The access key id of a SigV4 `Authorization` header or presigned query, if any. */
function accessKeyOf(request: Request): string | undefined {
  const header = request.headers.get('authorization') ?? ''
  const fromHeader = /Credential=([^/,\s]+)\//.exec(header)?.[1]
  if (fromHeader) return fromHeader
  const credential = new URL(request.url).searchParams.get('X-Amz-Credential')
  return credential?.split('/')[0]
}

/** Without required auth any key is accepted: a configured key acts for its account, others for the default. */
export async function authenticate(config: AuthConfig, input: { request: Request; body: string; now: number }): Promise<string> {
  const key = accessKeyOf(input.request)
  return (key && config.credentials.get(key)?.accountId) || config.defaultAccountId
}
