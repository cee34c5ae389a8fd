/**
 * @module actions/shared/answer-size — the most bytes a value takes in an answer of either dialect, so a receive can
 * stay under a platform's response limit (Lambda's 6 MB) whichever dialect writes it.
 */

/** Tags, quotes and separators around one member, generously (an XML member writes its name twice). */
const perMemberBytes = 80

/**
 * UTF-8 bytes of a string once escaped, in the dialect that escapes it more: JSON writes a control character as
 * `\u00XX` (6 bytes), XML writes `<` as `&lt;` and `&` as `&amp;` (4–5), `\r` as `&#xD;`.
 */
function escapedBytes(text: string): number {
  let bytes = Buffer.byteLength(text, 'utf8')
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20) bytes += 5
    else if (c === 0x26) bytes += 4 // &amp;
    else if (c === 0x3c || c === 0x3e) bytes += 3 // &lt; &gt;
    else if (c === 0x22 || c === 0x27) bytes += 5 // &quot; &apos; (JSON's \" is shorter)
    else if (c === 0x5c) bytes += 1 // JSON's \\
  }
  return bytes
}

/** An upper bound of a value's bytes in a JSON 1.0 or Query (XML or JSON) answer. Binary values travel as base64. */
export function answerBytes(value: unknown): number {
  if (typeof value === 'string') return escapedBytes(value)
  if (value instanceof Uint8Array) return Math.ceil(value.byteLength / 3) * 4
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + perMemberBytes + answerBytes(item), 0)
  if (value && typeof value === 'object') {
    return Object.entries(value).reduce((sum: number, [name, item]) => sum + perMemberBytes + 2 * name.length + answerBytes(item), 0)
  }
  return perMemberBytes
}
