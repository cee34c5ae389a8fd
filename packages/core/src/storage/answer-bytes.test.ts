import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { answerBytes } from './answer-bytes.js'

async function* chunksOf(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

describe('answerBytes', () => {
  it('gathers an answer of any size from its chunks', async () => {
    for (const [length, chunk] of [[0, 1], [10, 100], [5000, 1000], [65_536, 16_384], [1_500_000, 65_536], [300_001, 7]] as const) {
      const bytes = randomBytes(length)
      expect((await answerBytes(chunksOf(bytes, chunk))).equals(bytes)).toBe(true)
    }
  })

  it('lends a large answer the buffer of the next one: it is to be read before anything is awaited', async () => {
    const first = randomBytes(200_000)
    const second = randomBytes(200_000)
    const lent = await answerBytes(chunksOf(first, 65_536))
    expect(lent.equals(first)).toBe(true)
    await answerBytes(chunksOf(second, 65_536))
    expect(lent.equals(second)).toBe(true)
  })
})
