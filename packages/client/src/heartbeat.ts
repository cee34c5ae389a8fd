/** @module heartbeat — keeps the messages of one receive invisible while they are held, with periodic ChangeMessageVisibilityBatch. */
import type { SQSClient } from '@aws-sdk/client-sqs'
import { sqsLimits } from './limits.js'
import { now } from './time.js'
import { changeVisibilityBatch } from './visibility.js'

/** What a heartbeat needs to know; `onBeat` and `onError` feed the consumer's counts and hooks. */
export interface HeartbeatSettings<M> {
  client: SQSClient
  queueUrl: string
  /** Seconds each beat makes the messages invisible for, counted from the beat. */
  visibilityTimeout: number
  /** Milliseconds from the receive to the first beat, and between the starts of beats. */
  intervalMs: number
  /** A message's visibility was renewed. */
  onBeat: (message: M) => void
  /** A message's visibility could not be renewed. */
  onError: (error: Error, message: M) => void
}

/** A running heartbeat; `stop` waits for a beat in flight, so a later visibility change cannot be overtaken by it. */
export interface Heartbeat<M> {
  stop(message: M): Promise<void>
}

/**
 * Starts beating for the messages of one receive, every `intervalMs` from the receive: one
 * ChangeMessageVisibilityBatch per beat for all of them still held, rather than a call per message. Each beat sets
 * the visibility to `visibilityTimeout` from now, so a handler that runs longer than the timeout keeps its message.
 * Beats end at SQS's 12-hour limit from the receive; a message whose entry failed with a sender fault is dropped
 * (its handle no longer works: more beats would fail alike), one that failed on SQS's side is tried again next beat.
 */
export function startHeartbeat<M extends { receiptHandle: string }>(
  settings: HeartbeatSettings<M>, messages: readonly M[], receivedAt: number,
): Heartbeat<M> {
  const kept = new Map(messages.map((message) => [message.receiptHandle, message]))
  let timer: ReturnType<typeof setTimeout> | undefined
  let beat: Promise<void> | undefined
  const secondsLeft = () => Math.floor(Math.min(settings.visibilityTimeout, sqsLimits.maxVisibilityTimeout - (now() - receivedAt) / 1000))
  const beatOnce = async () => {
    const seconds = secondsLeft()
    const beating = [...kept.values()]
    if (seconds <= 0 || beating.length === 0) return
    const handles = beating.map((message) => message.receiptHandle)
    const failed = new Map((await changeVisibilityBatch(settings.client, settings.queueUrl, handles, seconds)).map((f) => [f.receiptHandle, f]))
    for (const message of beating) {
      // stopped while the beat was out: its outcome is someone else's now
      if (!kept.has(message.receiptHandle)) continue
      const failure = failed.get(message.receiptHandle)
      if (!failure) settings.onBeat(message)
      else {
        settings.onError(failure.error, message)
        if (failure.senderFault) kept.delete(message.receiptHandle)
      }
    }
  }
  const schedule = () => {
    if (kept.size > 0) timer = setTimeout(run, settings.intervalMs)
  }
  const run = () => {
    if (secondsLeft() <= 0) return
    // timed from the previous beat's start, not its answer, so slow answers cannot stretch the gap between renewals;
    // a beat still out delays the next one rather than racing it
    beat = Promise.resolve(beat).then(beatOnce)
    schedule()
  }
  schedule()
  return {
    async stop(message) {
      kept.delete(message.receiptHandle)
      if (kept.size === 0) clearTimeout(timer)
      await beat
    },
  }
}
