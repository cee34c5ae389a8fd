/** @module test/reliability/support/fuzz — sends generated requests and files every answer that is not SQS-shaped, with a replayable example. */
import fc from 'fast-check'
import { dialectOf, problemWith, send, type RawAnswer, type RawRequest } from './raw-http.js'

interface Filed {
  count: number
  example: string
  answer: string
}

/** What a request was, in a form that can be replayed from a report. */
export function describeRequest(r: RawRequest): string {
  const body = Buffer.isBuffer(r.body) ? r.body : Buffer.concat(r.body.chunks)
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, v.length > 100 ? `${v.slice(0, 100)}…(${v.length})` : v]))
  return `${r.method} ${r.path.slice(0, 160)} ${JSON.stringify(headers)} body(${body.length} B)=${JSON.stringify(body.subarray(0, 200).toString('latin1'))}`
}

/** The SQS action a request names, as well as a hostile request names one. */
function actionOf(r: RawRequest): string {
  const target = Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1]
  if (target) return target.slice(0, 40)
  const form = new URLSearchParams(`${r.path.split('?')[1] ?? ''}&${Buffer.isBuffer(r.body) ? r.body.toString('latin1') : ''}`)
  return (form.get('Action') ?? '(no action)').slice(0, 40)
}

export class Findings {
  sent = 0
  readonly statuses: Record<string, number> = {}
  /** answers that break the property, by problem and action */
  readonly problems = new Map<string, Filed>()
  /** 503s: well-formed, but for input that can never succeed they send SDKs into retries, so they are listed */
  readonly unavailable = new Map<string, Filed>()

  record(request: RawRequest, answer: RawAnswer | Error) {
    this.sent++
    if (answer instanceof Error) return this.file(this.problems, `no answer: ${answer.message} (${actionOf(request)})`, request, '')
    this.statuses[answer.status] = (this.statuses[answer.status] ?? 0) + 1
    if (answer.status === 503) this.file(this.unavailable, `${actionOf(request)}: ${answer.text.slice(0, 160)}`, request, '')
    const problem = problemWith(dialectOf(request.headers), answer, request.method)
    if (problem) this.file(this.problems, `${problem} (${actionOf(request)})`, request, answer.text.slice(0, 300))
  }

  private file(into: Map<string, Filed>, key: string, request: RawRequest, answer: string) {
    const filed = into.get(key) ?? { count: 0, example: describeRequest(request), answer }
    filed.count++
    into.set(key, filed)
  }

  /** One paragraph per problem and per kind of 503, each with a request that shows it. */
  lines(): string[] {
    return [
      ...[...this.problems].map(([problem, f]) => `${f.count} × ${problem}\n  e.g. ${f.example}\n  answer: ${f.answer}`),
      ...[...this.unavailable].map(([answer, f]) => `${f.count} × 503 ${answer}\n  e.g. ${f.example}`),
    ]
  }
}

/** Sends every request, `concurrency` at a time, recording each answer. */
export async function fuzz(endpoint: string, requests: Iterable<RawRequest>, concurrency: number, findings = new Findings()) {
  const iterator = requests[Symbol.iterator]()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      findings.record(next.value, await send(endpoint, next.value).catch((error: Error) => error))
    }
  }))
  return findings
}

/** fast-check samples drawn lazily in chunks of 100, chunk i seeded `seed + i`, so big bodies never pile up in memory. */
export function* sampled<T>(arbitrary: fc.Arbitrary<T>, count: number, seed: number) {
  for (let chunk = 0; chunk * 100 < count; chunk++) yield* fc.sample(arbitrary, { numRuns: Math.min(100, count - chunk * 100), seed: seed + chunk })
}
