import { describe, expect, it } from 'vitest'
import { ManualClock } from '../clock.js'
import { RequestThrottled } from '../errors.js'
import { PollWatchers, type ReceiveHint, type WatchTimings } from './long-poll.js'

const timings: WatchTimings = { probeMs: 1_000, recheckMs: 20_000, maxWaiting: 100 }
/** Lets the watch's promise chains run (real time: the manual clock only moves when told). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

/** An attempt that finds nothing until given messages, counting its calls. */
function source() {
  const state = { calls: 0, messages: [] as string[] }
  const attempt = async () => {
    state.calls++
    return state.messages.splice(0, 1)
  }
  return { state, attempt }
}

describe('PollWatchers', () => {
  it('looks again at once when a notify lands during the first try, instead of sleeping through it', async () => {
    const clock = new ManualClock()
    const polls = new PollWatchers(clock, timings)
    let calls = 0
    const found = await polls.longPoll({
      queueId: 'q', waitMs: 20_000,
      attempt: async () => {
        calls++
        if (calls === 1) polls.notify('q') // the send lands while this try is querying
        return calls === 2 ? ['message'] : []
      },
    })
    expect(found).toEqual(['message'])
    expect(calls).toBe(2)
  })

  it('tells a try woken by sends here alone which shards they wrote to, and any other wake-up to look everywhere', async () => {
    const clock = new ManualClock()
    const polls = new PollWatchers(clock, timings)
    const hints: Array<ReceiveHint | undefined> = []
    const waiting = polls.longPoll({ queueId: 'q', waitMs: 60_000, attempt: async (hint) => (hints.push(hint), []) })
    await settle()
    polls.notify('q', [2])
    polls.notify('q', [0, 2])
    await settle()
    polls.notifyAt('q', clock.now(), [3])
    polls.notify('q')
    await settle()
    polls.notify('q', [1])
    clock.advance(timings.recheckMs)
    await settle()
    polls.notifyAt('q', clock.now() + 5_000, [1])
    clock.advance(5_000)
    await settle()
    expect(hints.map((hint) => hint && [...hint.shards].sort())).toEqual([undefined, [0, 2], undefined, undefined, undefined])
    clock.advance(60_000)
    expect(await waiting).toEqual([])
  })

  it('has many waiting polls share one watch: an idle queue costs one try per recheck, however many wait', async () => {
    const clock = new ManualClock()
    const polls = new PollWatchers(clock, timings)
    const { state, attempt } = source()
    const waiting = Array.from({ length: 50 }, () => polls.longPoll({ queueId: 'q', waitMs: 60_000, attempt }))
    await settle()
    expect(state.calls).toBe(50) // each poll's own first try
    expect(polls.waiting).toBe(50)
    for (let i = 0; i < 2; i++) {
      clock.advance(timings.recheckMs)
      await settle()
    }
    expect(state.calls).toBe(52)
    clock.advance(60_000)
    expect(await Promise.all(waiting)).toEqual(Array(50).fill([]))
    expect(polls.waiting).toBe(0)
  })

  it('wakes the oldest poll on a notify, and tries for more at once while tries find messages', async () => {
    const clock = new ManualClock()
    const polls = new PollWatchers(clock, timings)
    const { state, attempt } = source()
    const answers: string[][] = []
    const waiting = Array.from({ length: 5 }, () => polls.longPoll({ queueId: 'q', waitMs: 60_000, attempt }).then((a) => answers.push(a)))
    await settle()
    state.messages.push('a', 'b', 'c')
    polls.notify('q')
    await settle()
    expect(answers.flat().sort()).toEqual(['a', 'b', 'c'])
    expect(polls.waiting).toBe(2)
    clock.advance(60_000)
    await Promise.all(waiting)
  })

  it('wakes waiting polls when a delay or visibility timeout it was told of ends', async () => {
    const clock = new ManualClock()
    const polls = new PollWatchers(clock, timings)
    const { state, attempt } = source()
    const poll = polls.longPoll({ queueId: 'q', waitMs: 60_000, attempt })
    await settle()
    polls.notifyAt('q', clock.now() + 5_000)
    state.messages.push('delayed')
    clock.advance(4_000)
    await settle()
    expect(state.calls).toBe(1)
    clock.advance(1_000)
    expect(await poll).toEqual(['delayed'])
  })

  it('tries when the probe says something may be receivable, and not when it says nothing is', async () => {
    const clock = new ManualClock()
    const polls = new PollWatchers(clock, timings)
    const { state, attempt } = source()
    let visible = false
    const poll = polls.longPoll({ queueId: 'q', waitMs: 60_000, attempt, probe: async () => visible })
    await settle()
    clock.advance(timings.probeMs)
    await settle()
    expect(state.calls).toBe(1)
    visible = true
    state.messages.push('from another instance')
    clock.advance(timings.probeMs)
    expect(await poll).toEqual(['from another instance'])
  })

  it('answers a poll with what a try claimed even when its wait ended during that try', async () => {
    const clock = new ManualClock()
    const polls = new PollWatchers(clock, timings)
    let release!: () => void
    let calls = 0
    const poll = polls.longPoll({
      queueId: 'q', waitMs: 10_000,
      attempt: async () => {
        if (++calls === 1) return []
        await new Promise<void>((resolve) => (release = resolve))
        return ['claimed late']
      },
    })
    await settle()
    polls.notify('q')
    await settle()
    clock.advance(10_000) // the wait ends while the second try is still out
    await settle()
    release()
    expect(await poll).toEqual(['claimed late'])
  })

  it('answers RequestThrottled past the cap on waiting polls, and nothing at the end of each wait below it', async () => {
    const clock = new ManualClock()
    const polls = new PollWatchers(clock, { ...timings, maxWaiting: 3 })
    const { attempt } = source()
    const waiting = Array.from({ length: 3 }, () => polls.longPoll({ queueId: 'q', waitMs: 5_000, attempt }))
    await settle()
    await expect(polls.longPoll({ queueId: 'other', waitMs: 5_000, attempt })).rejects.toBeInstanceOf(RequestThrottled)
    clock.advance(5_000)
    expect(await Promise.all(waiting)).toEqual([[], [], []])
    expect(await polls.longPoll({ queueId: 'other', waitMs: 0, attempt })).toEqual([])
  })

  it('ends a wait when its signal aborts (the client went away)', async () => {
    const clock = new ManualClock()
    const polls = new PollWatchers(clock, timings)
    const { attempt } = source()
    const gone = new AbortController()
    const poll = polls.longPoll({ queueId: 'q', waitMs: 60_000, attempt, signal: gone.signal })
    await settle()
    gone.abort()
    expect(await poll).toEqual([])
    expect(polls.waiting).toBe(0)
  })

  it('stops every wait when the instance stops: idle polls answer nothing at once, one mid-try answers what it claimed, later ones do not wait', async () => {
    const clock = new ManualClock()
    const polls = new PollWatchers(clock, timings)
    const { state, attempt } = source()
    const idle = [polls.longPoll({ queueId: 'a', waitMs: 20_000, attempt }), polls.longPoll({ queueId: 'b', waitMs: 20_000, attempt })]
    let release!: () => void
    let calls = 0
    const trying = polls.longPoll({
      queueId: 'q', waitMs: 20_000,
      attempt: async () => {
        if (++calls === 1) return []
        await new Promise<void>((resolve) => (release = resolve))
        return ['claimed while stopping']
      },
    })
    await settle()
    polls.notify('q')
    await settle()
    expect(calls).toBe(2) // its second try is out
    // the clock stands still, and its sleeps take real time: a wait that did not stop would take 20 s
    const started = performance.now()
    polls.stopWaiting()
    expect(await Promise.all(idle)).toEqual([[], []])
    release()
    expect(await trying).toEqual(['claimed while stopping'])
    expect(polls.waiting).toBe(0)
    const triesBefore = state.calls
    expect(await polls.longPoll({ queueId: 'q', waitMs: 20_000, attempt })).toEqual([])
    expect(state.calls).toBe(triesBefore + 1)
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  it('forgets the watches of queues nobody waits on once their known wake-ups have passed, and keeps the rest', async () => {
    const clock = new ManualClock()
    const polls = new PollWatchers(clock, timings)
    const watches = (polls as unknown as { watches: Map<string, unknown> }).watches
    for (let i = 0; i < 998; i++) polls.notifyAt(`passed-${i}`, clock.now() + 1_000)
    polls.notifyAt('later', clock.now() + 60_000)
    const { attempt } = source()
    const waiting = polls.longPoll({ queueId: 'waited-on', waitMs: 60_000, attempt })
    await settle()
    clock.advance(2_000)
    polls.notifyAt('new', clock.now() + 1_000)
    expect([...watches.keys()].sort()).toEqual(['later', 'new', 'waited-on'])
    clock.advance(60_000)
    expect(await waiting).toEqual([])
  })
})
