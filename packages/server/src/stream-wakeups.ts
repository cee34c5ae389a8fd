/** @module local/stream-wakeups — a local server's waiting long polls, woken by the changes other processes make. */
import { tailMessageStream, type Config, type StreamTail } from '@dqs/core'
import type { Runtime } from '@dqs/api'

/** Changes other processes make (sends, releases, visibility changes) wake this server's waiting long polls. */
export function wakePollsFromStream(runtime: Runtime, config: Config): StreamTail {
  const { polls } = runtime.engine
  let lastError = ''
  return tailMessageStream({
    endpoint: config.dynamoEndpoint,
    region: config.region,
    db: runtime.db,
    tables: runtime.tables,
    active: () => polls.waiting > 0,
    onReceivable: (change) => polls.notifyAt(change.queueId, change.at, change.shard === undefined ? undefined : [change.shard]),
    onResume: () => polls.notifyAll(),
    onError: (error) => {
      const message = error instanceof Error ? error.message : String(error)
      if (message !== lastError) console.error('DQS: tailing the messages stream:', message)
      lastError = message
    },
  })
}
