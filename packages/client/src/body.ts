/** @module body — message bodies: JSON or raw text, checked against an optional zod schema on the way out and in. */
import * as z from 'zod'

/** `json` (the default): bodies are `JSON.stringify`-ed and parsed back; `raw`: bodies are strings, sent as they are. */
export type BodyFormat = 'json' | 'raw'

/** Any zod schema (classic or `zod/mini`). */
export type BodySchema = z.core.$ZodType

/** A received body: parsed and valid, or the reason it is not (a `SyntaxError` for bad JSON, a `ZodError` for the schema). */
export type ParsedBody<T> = { ok: true; body: T } | { ok: false; error: Error }

/** Turns bodies into MessageBody text and back. */
export interface BodyCodec<In, Out> {
  /** MessageBody text for `body`; throws (a `ZodError` or a `TypeError`) rather than send a body the consumer would reject. */
  serialize(body: In): string
  /** The body of a received message, or why it is not a valid one. */
  parse(text: string): ParsedBody<Out>
}

/** The codec for a queue's `bodyFormat` and `schema`. */
export function bodyCodec<In, Out>(format: BodyFormat, schema: BodySchema | undefined): BodyCodec<In, Out> {
  return {
    serialize(body) {
      // producers send the caller's input, not the schema's output: the consumer parses with the same schema again
      if (schema) z.parse(schema, body)
      if (format === 'raw') {
        if (typeof body !== 'string') throw new TypeError(`A raw body must be a string, not ${typeof body}.`)
        return body
      }
      const text = JSON.stringify(body)
      if (text === undefined) throw new TypeError(`A JSON body cannot be ${typeof body}.`)
      return text
    },
    parse(text) {
      let value: unknown = text
      if (format === 'json') {
        try {
          value = JSON.parse(text)
        } catch (error) {
          return { ok: false, error: error as Error }
        }
      }
      if (!schema) return { ok: true, body: value as Out }
      const result = z.safeParse(schema, value)
      return result.success ? { ok: true, body: result.data as Out } : { ok: false, error: result.error }
    },
  }
}
