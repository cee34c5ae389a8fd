import { Sha256 } from '@aws-crypto/sha256-js'
import { DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JsonProtocol } from './json-protocol.js'
import { localCredentials } from './local-credentials.js'

interface Received { headers: IncomingHttpHeaders; path: string; body: string }

/** What a request carried, answered with an empty success as DynamoDB answers. */
let server: Server
let endpoint: string
const received: Received[] = []

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ headers: request.headers, path: request.url!, body: Buffer.concat(chunks).toString('utf8') })
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'r' }).end('{}')
    })
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise<void>((closed) => server.close(() => closed())))

const errors = { base: DynamoDBServiceException, modeled: {} }

/** `20261206T120000Z` → its time. */
const timeOf = (amzDate: string) => Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'))

/** The Authorization the SDK's own signer gives the request as received, signing the headers it names. */
async function sdkAuthorization(request: Received, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  const [, scope, signedHeaders] = /^AWS4-HMAC-SHA256 Credential=[^/]+\/(\S+), SignedHeaders=(\S+), Signature=[0-9a-f]{64}$/.exec(String(request.headers.authorization))!
  const [, region, service] = scope!.split('/')
  const names = signedHeaders!.split(';')
  const headers = Object.fromEntries(names.map((name) => [name, String(request.headers[name])]))
  const signer = new SignatureV4({ service: service!, region: region!, sha256: Sha256, credentials, applyChecksum: false })
  const signed = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', path: request.path, headers, body: request.body }), {
    signingDate: new Date(timeOf(String(request.headers['x-amz-date']))), signableHeaders: new Set(names),
  })
  return { authorization: signed.headers.authorization, region, service, names }
}

describe('JsonProtocol signing', () => {
  it('signs each request as the SDK signs it: body, target, date, and the session token when there is one', async () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'token/with+signs=' }
    const client = new DynamoDBClient({ endpoint, region: 'eu-west-3', credentials })
    const streams = new DynamoDBStreamsClient({ endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other' } })
    received.length = 0
    await new JsonProtocol(client, 'DynamoDB_20120810', errors).request('Query', JSON.stringify({ TableName: 't', ExpressionAttributeValues: { ':b': { S: 'ünïcode ✓ body' } } }), { replayable: true })
    await new JsonProtocol(streams, 'DynamoDBStreams_20120810', errors).request('GetRecords', '{"ShardIterator":"x"}', { replayable: true })
    expect(received).toHaveLength(2)

    const [query, records] = received as [Received, Received]
    expect(query.headers['x-amz-target']).toBe('DynamoDB_20120810.Query')
    expect(query.headers['x-amz-security-token']).toBe(credentials.sessionToken)
    const expected = await sdkAuthorization(query, credentials)
    expect(expected.names).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target', 'x-amz-security-token', 'content-type']))
    expect([expected.region, expected.service]).toEqual(['eu-west-3', 'dynamodb'])
    expect(query.headers.authorization).toBe(expected.authorization)

    expect(records.headers['x-amz-target']).toBe('DynamoDBStreams_20120810.GetRecords')
    expect(records.headers['x-amz-security-token']).toBeUndefined()
    const streamsExpected = await sdkAuthorization(records, { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other' })
    expect(streamsExpected.service).toBe('dynamodb')
    expect(records.headers.authorization).toBe(streamsExpected.authorization)
  })

  it('dates a request by the clock the SDK corrected after a skew error', async () => {
    const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
    client.config.systemClockOffset = 3_600_000
    received.length = 0
    await new JsonProtocol(client, 'DynamoDB_20120810', errors).request('GetItem', '{}', { replayable: true })
    const dated = timeOf(String(received[0]!.headers['x-amz-date']))
    expect(Math.abs(dated - (Date.now() + 3_600_000))).toBeLessThan(120_000)
    expect(received[0]!.headers.authorization).toBe((await sdkAuthorization(received[0]!, { accessKeyId: 'a', secretAccessKey: 'b' })).authorization)
  })

  it('leaves requests made with the local credentials unsigned, naming the key and scope a signature would', async () => {
    const client = new DynamoDBClient({ endpoint, region: 'eu-west-3', credentials: { ...localCredentials } })
    const real = new DynamoDBClient({ endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'dqs', secretAccessKey: 'not-the-local-one' } })
    received.length = 0
    await new JsonProtocol(client, 'DynamoDB_20120810', errors).request('GetItem', '{}', { replayable: true })
    await new JsonProtocol(real, 'DynamoDB_20120810', errors).request('GetItem', '{}', { replayable: true })
    const [local, signed] = received as [Received, Received]
    const scope = (request: Received) => /Credential=(\S+),/.exec(String(request.headers.authorization))?.[1]
    expect(scope(local)).toBe(scope(signed))
    expect(scope(local)).toMatch(/^dqs\/\d{8}\/eu-west-3\/dynamodb\/aws4_request$/)
    expect(local.headers.authorization).toMatch(/Signature=0{64}$/)
    expect(local.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/)
    expect(signed.headers.authorization).toBe((await sdkAuthorization(signed, { accessKeyId: 'dqs', secretAccessKey: 'not-the-local-one' })).authorization)
  })
})
