/** @module heartbeat — keeps a message invisible while it is being handled, with periodic ChangeMessageVisibility. */
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { sqsLimits } from './limits.js'
import { now } from './time.js'

/** What a heartbeat needs to know; `onBeat` and `onError` feed the consumer's counts and hooks. */
export interface HeartbeatSettings {
  client: SQSClient
  queueUrl: string
  /** Seconds each beat makes the message invisible for, counted from the beat. */
  visibilityTimeout: number
  /** Milliseconds from the receive (and then from each beat) to the next beat. */
  intervalMs: number
  onBeat: () => void
  onError: (error: unknown) => void
}

/** A running heartbeat; `stop` waits for a beat in flight, so a later visibility change cannot be overtaken by it. */
export interface Heartbeat {
  stop(): Promise<void>
}

/**
 * Starts beating for one receipt handle. Each beat sets the visibility to `visibilityTimeout` from now, so a
 * handler that runs longer than the timeout keeps its message. Beats end at SQS's 12-hour limit from the receive,
 * and after a sender fault (the handle no longer works: more beats would fail alike).
 */
export function startHeartbeat(settings: HeartbeatSettings, receiptHandle: string, receivedAt: number): Heartbeat {
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let beat: Promise<void> | undefined
  const schedule = () => {
    timer = setTimeout(run, settings.intervalMs)
  }
  const run = () => {
    const left = sqsLimits.maxVisibilityTimeout - (now() - receivedAt) / 1000
    const seconds = Math.floor(Math.min(settings.visibilityTimeout, left))
    if (seconds <= 0) return
    beat = settings.client.send(new ChangeMessageVisibilityCommand({
      QueueUrl: settings.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds,
    })).then(
      () => {
        if (stopped) return
        settings.onBeat()
        schedule()
      },
      (error: unknown) => {
        if (stopped) return
        settings.onError(error)
        if ((error as { $fault?: string }).$fault !== 'client') schedule()
      },
    )
  }
  schedule()
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await beat
    },
  }
}
