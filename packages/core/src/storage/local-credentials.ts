/**
 * @module storage/local-credentials — what DQS gives as credentials to a DynamoDB at an endpoint of the user's
 * choosing (DynamoDB Local): it reads the access key (and the region) from a request's Authorization to name its
 * database, and never checks the signature. So requests made with these are not signed: hashing every body and
 * every canonical request for a signature nobody verifies was ~5 % of a busy local server's CPU.
 */
import type { AwsCredentialIdentity } from '@smithy/types'

/** Copied into each client's configuration: the SDK may note on a credentials object where it came from. */
export const localCredentials: Readonly<AwsCredentialIdentity> = { accessKeyId: 'dqs', secretAccessKey: 'dqs' }

export const isLocalCredentials = (credentials: AwsCredentialIdentity) =>
  credentials.accessKeyId === localCredentials.accessKeyId && credentials.secretAccessKey === localCredentials.secretAccessKey && !credentials.sessionToken

/**
 * SigV4's Authorization header in its shape, with the key, date and scope a signed one would name and no signature:
 * what DynamoDB Local reads of it is the same either way.
 */
export const unsignedAuthorization = (amzDate: string, region: string, service: string) =>
  `AWS4-HMAC-SHA256 Credential=${localCredentials.accessKeyId}/${amzDate.slice(0, 8)}/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`
