import { describe, expect, it } from 'vitest'
import { fifoGroupPartition, fifoGroupSortKey, fifoMessageSortKey, shardPartition } from './keys.js'
import { hiddenReady } from './ready-index.js'
import { receivableChange } from './receivable-change.js'

const record = (eventName: string, image: Record<string, string | number>) => ({
  eventName,
  dynamodb: {
    NewImage: Object.fromEntries(Object.entries(image).map(([name, value]) =>
      [name, typeof value === 'number' ? { N: String(value) } : { S: value }])),
  },
})

describe('receivableChange', () => {
  const standard = shardPartition('q1', 3, 2)
  const group = fifoGroupPartition('q2', 0, 'g#1')

  it('reads a standard message’s index entry: fresh is receivable now (in its shard), hidden when it is visible again', () => {
    expect(receivableChange(record('INSERT', { pk: standard, sk: 'a', ready: 1_760_000_000_000, vis: 1_760_000_000_000 })))
      .toEqual({ queueId: 'q1', at: 0, shard: 2 })
    expect(receivableChange(record('MODIFY', { pk: standard, sk: 'a', ready: hiddenReady(1_760_000_030_000) })))
      .toEqual({ queueId: 'q1', at: 1_760_000_030_000 })
  })

  it('reads a FIFO group item’s ready time, and a new FIFO message’s visible time (the queue’s delay)', () => {
    expect(receivableChange(record('MODIFY', { pk: group, sk: fifoGroupSortKey, ready: 1_760_000_005_000 })))
      .toEqual({ queueId: 'q2', at: 1_760_000_005_000 })
    expect(receivableChange(record('INSERT', { pk: group, sk: fifoMessageSortKey('00000000000000000001'), vis: 1_760_000_001_000 })))
      .toEqual({ queueId: 'q2', at: 1_760_000_001_000 })
  })

  it('says nothing of removals, chunks, unindexed items and other records', () => {
    expect(receivableChange(record('REMOVE', { pk: standard, sk: 'a', ready: 5 }))).toBeNull()
    expect(receivableChange(record('INSERT', { pk: standard, sk: 'a#c1' }))).toBeNull()
    expect(receivableChange(record('INSERT', { pk: `${fifoMessageSortKey('1')}#c1`, sk: 'x' }))).toBeNull()
    expect(receivableChange(record('INSERT', { pk: 'd#q2#0#q#dedup', sk: 'd' }))).toBeNull()
    expect(receivableChange(record('INSERT', { pk: group, sk: `${fifoMessageSortKey('00000000000000000001')}#c1`, vis: 5 }))).toBeNull()
  })
})
