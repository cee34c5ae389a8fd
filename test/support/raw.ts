/** Hand-made requests to the test server, for what no SDK sends or shows: raw bodies, headers, odd inputs. */
import { XMLParser } from 'fast-xml-parser'
import { endpoint } from './clients.js'

export interface RawResponse {
  status: number
  headers: Headers
  text: string
}

/** POSTs an AWS JSON 1.0 request: `X-Amz-Target: AmazonSQS.<action>`, the body as given (string) or serialised. */
export async function jsonRequest(action: string, body: unknown, options: { path?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const response = await fetch(`${endpoint}${options.path ?? '/'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}`, ...options.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

/** A Query request: form POST (default) or GET with the parameters in the query string. */
export async function queryRequest(
  params: Record<string, string>,
  options: { path?: string; method?: 'GET' | 'POST'; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const form = new URLSearchParams(params).toString()
  const response = options.method === 'GET'
    ? await fetch(`${endpoint}${options.path ?? '/'}${form ? `?${form}` : ''}`, { headers: options.headers })
    : await fetch(`${endpoint}${options.path ?? '/'}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...options.headers }, body: form,
    })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false })

/** An XML body as a plain object (every leaf a string). */
export const parseXml = (text: string) => xml.parse(text) as Record<string, any>
