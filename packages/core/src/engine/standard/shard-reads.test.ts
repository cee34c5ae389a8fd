import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../clock.js'
import type { IndexedCandidate } from '../../storage/message-store.js'
import { EngineState } from '../state.js'
import { FreshPages, shardReads, shardReadsChanged } from './shard-reads.js'

const candidates = (shard: number, count: number): IndexedCandidate[] =>
  Array.from({ length: count }, (_, i) => ({ pk: `q#${shard}`, sk: `m${i}`, ready: 1_000 + i }))
const everyOne = () => true

function setup() {
  const deps = { state: new EngineState(), clock: new ManualClock(1_000_000) }
  return { deps, reads: () => shardReads(deps, 'q') }
}

describe('shardReads fresh pages', () => {
  it('serves a page for a second after it was read, with the candidates still free, while enough of them are', () => {
    const { deps, reads } = setup()
    reads().read(0, { hidden: true, backlog: true, fresh: candidates(0, 25) })
    expect(reads().page(0, 10, everyOne)).toHaveLength(25)
    expect(reads().page(1, 10, everyOne)).toBeUndefined()
    // those taken by other receives are left out, and forgotten by the page
    const taken = new Set(['m0', 'm1', 'm2'])
    expect(reads().page(0, 10, (c) => !taken.has(c.sk))?.map((c) => c.sk)).toEqual(candidates(0, 25).slice(3).map((c) => c.sk))
    expect(reads().page(0, 10, everyOne)).toHaveLength(22)
    // fewer free than needed: a read costs no more than a second claim would
    expect(reads().page(0, 23, everyOne)).toBeUndefined()
    deps.clock.advance(999)
    expect(reads().page(0, 10, everyOne)).toHaveLength(22)
    deps.clock.advance(1)
    expect(reads().page(0, 10, everyOne)).toBeUndefined()
  })

  it('keeps a page when a read took its fresh candidates from it, and replaces it with a new page', () => {
    const { reads } = setup()
    reads().read(0, { hidden: false, backlog: true, fresh: candidates(0, 25) })
    reads().read(0, { hidden: true, backlog: true })
    expect(reads().page(0, 10, everyOne)).toHaveLength(25)
    expect(reads().backlog(0)).toBe(true)
    reads().read(0, { hidden: false, backlog: false, fresh: candidates(0, 12) })
    expect(reads().page(0, 10, everyOne)).toHaveLength(12)
    expect(reads().backlog(0)).toBe(false)
  })

  it('drops every page of the queue after a lost claim, serves none for 5 s, and drops everything after a visibility change', () => {
    const { deps, reads } = setup()
    for (const shard of [0, 1]) reads().read(shard, { hidden: true, backlog: true, fresh: candidates(shard, 25) })
    reads().lost()
    expect(reads().page(0, 1, everyOne)).toBeUndefined()
    expect(reads().page(1, 1, everyOne)).toBeUndefined()
    // the hidden region's schedule stays: a lost claim says nothing of it
    expect(reads().hiddenDue(0)).toBe(false)
    // another instance receives from the queue: pages read meanwhile serve nothing until the pause ends
    deps.clock.advance(4_500)
    reads().read(0, { hidden: true, backlog: true, fresh: candidates(0, 25) })
    expect(reads().page(0, 1, everyOne)).toBeUndefined()
    deps.clock.advance(500)
    reads().read(0, { hidden: true, backlog: true, fresh: candidates(0, 25) })
    expect(reads().page(0, 1, everyOne)).toHaveLength(25)

    reads().read(0, { hidden: true, backlog: true, fresh: candidates(0, 25) })
    shardReadsChanged(deps, 'q')
    expect(reads().page(0, 1, everyOne)).toBeUndefined()
    expect(reads().hiddenDue(0)).toBe(true)
  })

  it('holds at most 40,000 index entries in all pages, dropping the least recently read queues\' pages first', () => {
    const state = new EngineState()
    const clock = new ManualClock(1_000_000)
    for (let queue = 0; queue < 500; queue++) {
      for (const shard of [0, 1, 2, 3]) shardReads({ state, clock }, `q${queue}`).read(shard, { hidden: true, backlog: true, fresh: candidates(shard, 100) })
    }
    expect(state.freshPages.held).toBe(40_000)
    expect(shardReads({ state, clock }, 'q499').page(3, 10, everyOne)).toHaveLength(100)
    expect(shardReads({ state, clock }, 'q400').page(0, 10, everyOne)).toHaveLength(100)
    expect(shardReads({ state, clock }, 'q399').page(3, 1, everyOne)).toBeUndefined()
    // what a page forgets, and a queue's pages dropped, no longer count
    shardReads({ state, clock }, 'q499').page(3, 10, (c) => c.ready >= 1_050)
    expect(state.freshPages.held).toBe(39_950)
    shardReadsChanged({ state }, 'q498')
    expect(state.freshPages.held).toBe(39_550)
  })

  it('counts a page replaced by a new one once', () => {
    const pages = new FreshPages()
    pages.set('q', 0, { at: 0, candidates: candidates(0, 25) })
    pages.set('q', 0, { at: 1, candidates: candidates(0, 10) })
    pages.set('q', 1, { at: 1, candidates: candidates(1, 5) })
    expect(pages.held).toBe(15)
    pages.drop('q')
    expect(pages.held).toBe(0)
    expect(pages.get('q', 0)).toBeUndefined()
  })
})
