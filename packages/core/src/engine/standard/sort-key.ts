/** @module engine/standard/sort-key — time-ordered message keys, so a shard reads oldest first. */
import { randomBytes } from 'node:crypto'

/** 13-digit send time in ms, then randomness so keys sent in the same ms on many instances never collide. */
export const messageSortKey = (now: number) => `${String(now).padStart(13, '0')}${randomBytes(6).toString('base64url')}`
