/** @module auth/authenticate — which account a request acts for, and whether its SigV4 signature proves it. */
import { AuthError } from '@dqs/core'
import { checkScope, claimedAccessKey, readSignature } from './signature.js'
import { verifySignature } from './sigv4.js'

export interface AuthConfig {
  defaultAccountId: string
  /** The region signatures must be scoped to: the one in this server's ARNs. */
  region: string
  /** access key id → secret and account */
  credentials: Map<string, { secretAccessKey: string; accountId: string }>
  requireAuth: boolean
}

/**
 * With auth required (deployed, or locally once credentials are configured) the request must be signed by a
 * configured key, whose account it then acts for. Without, any key is accepted, as local emulators do: a
 * configured key acts for its account, others for the default one.
 * `body` is the exact bytes received: the signature covers them.
 */
export async function authenticate(config: AuthConfig, input: { request: Request; body: Uint8Array; now: number }): Promise<string> {
  const url = new URL(input.request.url)
  if (!config.requireAuth) {
    const key = claimedAccessKey(input.request, url)
    return (key && config.credentials.get(key)?.accountId) || config.defaultAccountId
  }
  const claim = readSignature(input.request, url)
  // AWS checks the scope before it looks the key up
  checkScope(claim, config.region)
  const credential = config.credentials.get(claim.accessKeyId)
  if (!credential) throw new AuthError('InvalidClientTokenId', 'The security token included in the request is invalid.')
  await verifySignature(input.request, url, input.body, claim, credential.secretAccessKey, input.now)
  return credential.accountId
}
