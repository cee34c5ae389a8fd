/**
 * @module storage/deflate-floor — a size raw deflate cannot bring some bytes under, known without deflating them:
 * a body that deflate cannot bring under a write-unit boundary is stored as it came without being deflated first
 * (storage/message-item.ts). Deflating 1 KiB of text that hardly compresses takes ~24 µs here; this, ~5.5 µs
 * (~2 µs when its first look, the bytes' entropy, already leaves deflate room enough).
 *
 * Raw deflate writes literals and back-references (each at least 3 bytes long, to bytes before it in its input). A
 * byte a back-reference covers starts a 3-byte sequence seen before, or is one of the last two of that reference:
 * with `r` such repeated sequences, at most `3r` bytes are covered, and at least `n − 3r` are literals. Literals are
 * written in a prefix code (a block's own Huffman code, the fixed one, or 8 bits each when stored), so by Gibbs'
 * inequality they take at least their empirical entropy: Σ c·log2(n/c) bits over the bytes' counts c, less at most
 * log2(n) + 2 bits for each byte left out of them. That holds within one block, and zlib starts a second only after
 * 16,383 symbols (its default memory level): the floor is given for inputs of up to 8 KiB.
 */

/** Inputs up to this many bytes are one deflate block; longer ones get no floor. */
const maxBytes = 8192

/**
 * The 3-byte sequences seen, by open addressing: a slot holds one while its stamp is the current look's, so that no
 * look has to clear the table after it.
 */
const sequences = new Int32Array(1 << 14)
const stamps = new Uint32Array(1 << 14)
let look = 0

/**
 * Whether raw deflate (zlib, default settings) might make `size` bytes or fewer of `bytes`: false when it certainly
 * cannot. The bytes' entropy is counted first, and their repeated sequences only when that leaves the question open.
 */
export function mightDeflateTo(bytes: Uint8Array, size: number): boolean {
  const n = bytes.length
  if (n < 3 || n > maxBytes) return true
  const counts = new Int32Array(256)
  for (let i = 0; i < n; i++) counts[bytes[i]!]! += 1
  let bits = 0
  for (let value = 0; value < 256; value++) {
    const count = counts[value]!
    if (count) bits += count * Math.log2(n / count)
  }
  if (bits / 8 <= size) return true
  return (bits - 3 * repeatedSequences(bytes) * (Math.log2(n) + 2)) / 8 <= size
}

/** How many of the 3-byte sequences of `bytes` appeared earlier in it. */
function repeatedSequences(bytes: Uint8Array) {
  look = (look + 1) >>> 0 || 1
  const mask = sequences.length - 1
  let repeated = 0
  let sequence = (bytes[0]! << 8) | bytes[1]!
  for (let i = 2; i < bytes.length; i++) {
    sequence = ((sequence << 8) | bytes[i]!) & 0xffffff
    for (let slot = Math.imul(sequence, 0x9e3779b1) >>> 18; ; slot = (slot + 1) & mask) {
      if (stamps[slot] !== look) {
        stamps[slot] = look
        sequences[slot] = sequence
        break
      }
      if (sequences[slot] === sequence) {
        repeated++
        break
      }
    }
  }
  return repeated
}
