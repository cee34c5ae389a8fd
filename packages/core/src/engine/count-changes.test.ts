import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { countChanges, countsFromItem, delayedUntilSecond, hiddenUntilSecond, sentUpToSecond, spentEntries } from './count-changes.js'
import type { StreamChange } from '../storage/stream-records.js'

const t0 = Date.UTC(2026, 10, 26, 12, 0, 0, 250)
const day = 86_400_000
const retention = 4 * day

function message(overrides: Partial<{ pk: string; vis: number; rc: number; fr: number; sa: number; exp: number }> = {}) {
  const sa = overrides.sa ?? t0
  return { pk: 'q1#0#2', sk: `${sa}abc`, tok: 't', vis: sa, rc: 0, sa, exp: sa + retention, b: 'body', ...overrides }
}

/** The counts item a stream consumer would build from these changes. */
function itemFrom(changes: StreamChange[]) {
  const item: Record<string, number> = {}
  for (const delta of countChanges(changes)) {
    for (const [entry, value] of delta.entries) item[entry] = (item[entry] ?? 0) + value
  }
  return item
}

describe('countChanges', () => {
  it('counts a sent message as live, in its send bucket, and delayed until its delay ends', () => {
    const [delta] = countChanges([{ eventName: 'INSERT', newImage: message({ vis: t0 + 10_000 }) }])
    expect(delta).toEqual({
      queueId: 'q1', gen: 0,
      entries: new Map([['n', 1], [`s${sentUpToSecond(t0, t0 + retention)}`, 1], [`d${Math.floor((t0 + 10_000) / 1000)}`, 1]]),
    })
  })

  it('moves a received message from delayed to in flight, and forgets it when deleted', () => {
    const sent = message({ vis: t0 + 10_000 })
    const received = { ...sent, rc: 1, fr: t0 + 20_000, vis: t0 + 50_000, tok: 'u' }
    const [claim] = countChanges([{ eventName: 'MODIFY', oldImage: sent, newImage: received }])
    expect(claim!.entries).toEqual(new Map([[`d${Math.floor((t0 + 10_000) / 1000)}`, -1], [`i${Math.floor((t0 + 50_000) / 1000)}`, 1]]))
    expect(countChanges([{ eventName: 'INSERT', newImage: sent }, { eventName: 'MODIFY', oldImage: sent, newImage: received },
      { eventName: 'REMOVE', oldImage: received }])).toEqual([])
  })

  it('leaves out chunk items and records that are not messages, and keeps queue generations apart', () => {
    expect(countChanges([
      { eventName: 'INSERT', newImage: { pk: 'q1#0#2', sk: `${t0}abc#c1`, c: new Uint8Array(3), ttl: 1 } },
      { eventName: 'INSERT', newImage: { pk: 'q1#0#g#7', sk: 'm#00000000000000000001#c1', c: new Uint8Array(3) } },
      { eventName: 'INSERT', newImage: { pk: 'd#q1#0#q#dedup', sk: 'd', id: 'm1', ttl: 1 } },
      { eventName: 'INSERT', newImage: { pk: 'q1#0#g#7', sk: 'm#00000000000000000001', tok: '', vis: t0, rc: 0, sa: t0, exp: t0 + day } },
    ])).toEqual([])
    const deltas = countChanges([{ eventName: 'INSERT', newImage: message() }, { eventName: 'INSERT', newImage: message({ pk: 'q1#1#0' }) }])
    expect(deltas.map((d) => [d.queueId, d.gen])).toEqual([['q1', 0], ['q1', 1]])
  })

  it('counts a FIFO group’s unfinished messages and its in-flight batch from the group item, delays from message items', () => {
    const group = { pk: 'q2#3#g#a#b', sk: '#', ver: 1, n: 3, rx: {}, bat: {}, tail: '00000000000000000003' }
    const received = { ...group, ver: 2, rx: { '00000000000000000001': { c: 1, f: t0 } }, bat: { '00000000000000000001': t0 + 30_000 } }
    const deleted = { ...received, ver: 3, n: 2, rx: {}, bat: {} }
    const delayedMessage = { pk: group.pk, sk: 'm#00000000000000000004', tok: '', vis: t0 + 60_000, rc: 0, sa: t0, exp: t0 + day }
    expect(countChanges([{ eventName: 'INSERT', newImage: group }])).toEqual([{ queueId: 'q2', gen: 3, entries: new Map([['n', 3]]) }])
    expect(countChanges([{ eventName: 'MODIFY', oldImage: group, newImage: received }])[0]!.entries)
      .toEqual(new Map([[`i${Math.floor((t0 + 30_000) / 1000)}`, 1]]))
    expect(countChanges([{ eventName: 'MODIFY', oldImage: received, newImage: deleted }])[0]!.entries)
      .toEqual(new Map([['n', -1], [`i${Math.floor((t0 + 30_000) / 1000)}`, -1]]))
    expect(countChanges([{ eventName: 'INSERT', newImage: delayedMessage }])[0]!.entries)
      .toEqual(new Map([[`d${Math.floor((t0 + 60_000) / 1000)}`, 1]]))
  })
})

describe('countsFromItem', () => {
  it('sees delays and visibility timeouts end as the clock moves, without any write', () => {
    const delayed = message({ vis: t0 + 10_000 })
    const visible = message()
    const inFlight = { ...message(), rc: 1, fr: t0, vis: t0 + 30_000 }
    const item = itemFrom([delayed, visible, inFlight].map((newImage) => ({ eventName: 'INSERT' as const, newImage })))
    expect(countsFromItem(item, t0 + 1_000, retention)).toEqual({ visible: 1, notVisible: 1, delayed: 1 })
    expect(countsFromItem(item, t0 + 11_000, retention)).toEqual({ visible: 2, notVisible: 1, delayed: 0 })
    expect(countsFromItem(item, t0 + 31_000, retention)).toEqual({ visible: 3, notVisible: 0, delayed: 0 })
  })

  it('drops messages older than the queue’s retention, as soon as it is read with a shorter one', () => {
    const item = itemFrom([{ eventName: 'INSERT', newImage: message({ exp: t0 + 60_000 }) }])
    expect(countsFromItem(item, t0 + 59_000, 60_000).visible).toBe(1)
    expect(countsFromItem(item, t0 + 62_000, 60_000).visible).toBe(0)
  })

  it('reads a missing item as an empty queue', () => {
    expect(countsFromItem(null, t0, retention)).toEqual({ visible: 0, notVisible: 0, delayed: 0 })
  })

  it('matches a count of the messages themselves, for any history of sends, receives, visibility changes and deletes', () => {
    const step = fc.record({
      kind: fc.constantFrom('send', 'receive', 'change', 'delete'),
      pick: fc.nat(),
      delayMs: fc.constantFrom(0, 0, 5_000, 900_000),
      timeoutMs: fc.constantFrom(0, 1_000, 30_000, 3_600_000, 43_200_000),
      elapseMs: fc.nat(120_000),
    })
    fc.assert(fc.property(fc.array(step, { maxLength: 60 }), fc.nat(50_000_000), (steps, lookAfter) => {
      const live = new Map<number, ReturnType<typeof message>>()
      const changes: StreamChange[] = []
      let now = t0
      let next = 0
      for (const s of steps) {
        now += s.elapseMs
        const ids = [...live.keys()]
        const id = ids[s.pick % Math.max(1, ids.length)]
        const old = id === undefined ? undefined : live.get(id)!
        if (s.kind === 'send' || !old) {
          const sent = message({ sa: now, vis: now + s.delayMs, exp: now + retention })
          live.set(next++, sent)
          changes.push({ eventName: 'INSERT', newImage: sent })
        } else if (s.kind === 'delete') {
          live.delete(id!)
          changes.push({ eventName: 'REMOVE', oldImage: old })
        } else if (s.kind === 'receive' && old.vis <= now) {
          const received = { ...old, rc: old.rc + 1, fr: old.fr ?? now, vis: now + s.timeoutMs }
          live.set(id!, received)
          changes.push({ eventName: 'MODIFY', oldImage: old, newImage: received })
        } else if (s.kind === 'change' && old.rc > 0 && old.vis > now) {
          const changed = { ...old, vis: now + s.timeoutMs }
          live.set(id!, changed)
          changes.push({ eventName: 'MODIFY', oldImage: old, newImage: changed })
        }
      }
      // a look sees exactly what the messages say, but for those within a bucket of becoming visible
      const at = now + lookAfter
      const truth = { visible: 0, notVisible: 0, delayed: 0 }
      for (const m of live.values()) {
        if (m.sa <= at - retention) continue
        if (m.vis <= at) truth.visible++
        else if (m.vis >= at + 60_000) truth[m.rc > 0 ? 'notVisible' : 'delayed']++
        else return // within a bucket of its end: approximate by design
      }
      expect(countsFromItem(itemFrom(changes), at, retention)).toEqual(truth)
    }), { numRuns: 300 })
  })
})

describe('buckets', () => {
  it('end a hidden span at its second when it is short, at its minute when it is long, and a delay past 12 hours at its hour', () => {
    expect(hiddenUntilSecond(t0 + 30_000, t0)).toBe(Math.floor((t0 + 30_000) / 1000))
    expect(hiddenUntilSecond(t0 + 3_600_000, t0) % 60).toBe(0)
    expect(t0 + 3_600_000 - hiddenUntilSecond(t0 + 3_600_000, t0) * 1000).toBeLessThan(60_000)
    const inTwoDays = t0 + 2 * day + 1_234_567
    expect(delayedUntilSecond(inTwoDays, t0) % 3600).toBe(0)
    expect(inTwoDays - delayedUntilSecond(inTwoDays, t0) * 1000).toBeLessThan(3_600_000)
    expect(delayedUntilSecond(t0 + 3_600_000, t0)).toBe(hiddenUntilSecond(t0 + 3_600_000, t0))
  })

  it('keep one entry per hour for deliveries scheduled days ahead, however many distinct times they have', () => {
    const scheduled = Array.from({ length: 2_000 }, (_, i) => ({
      eventName: 'INSERT' as const,
      newImage: { pk: 'q9#0#1', sk: `m${i}`, tok: '', rc: 0, vis: t0 + day + i * 37_000, sa: t0, exp: t0 + 14 * day },
    }))
    const [delta] = countChanges(scheduled)
    const delayed = [...delta!.entries.keys()].filter((entry) => entry.startsWith('d'))
    expect(delayed.length).toBeLessThanOrEqual(22) // 2,000 × 37 s ≈ 20.6 hours
  })

  it('give a queue’s live messages about 32 send buckets whatever its retention', () => {
    for (const r of [60_000, retention, 14 * day]) {
      const buckets = new Set(Array.from({ length: 1000 }, (_, i) => sentUpToSecond(t0 + (i * r) / 1000, t0 + (i * r) / 1000 + r)))
      expect(buckets.size).toBeGreaterThanOrEqual(16)
      expect(buckets.size).toBeLessThanOrEqual(64)
    }
  })

  it('are spent once ended (send buckets once empty too)', () => {
    const item = { n: 3, s100: 0, s200: 2, d150: 1, i250: 1, ttl: 5 }
    expect(spentEntries(item, 210_000).sort()).toEqual(['d150', 's100'])
  })
})
