/**
 * @module local/drain — how the server stops (SIGTERM, Ctrl-C, `close()`): it takes no new connection, waiting long
 * polls answer at once, requests in flight finish, and each connection closes after its answer.
 */
import type { Server, ServerResponse } from 'node:http'

/**
 * How long requests in flight may take to finish once the server stops, before their connections are cut. DQS's
 * answers take milliseconds once no poll waits; ECS kills a task 30 s after SIGTERM (its default stop timeout).
 */
const finishMs = 10_000

/**
 * Watches the server's answers from now on (call it before the server serves) and returns its stop: resolves once
 * every connection is closed. `stopWaiting` ends the waits of the long polls (engine/long-poll.ts), which would
 * otherwise hold the stop for up to 20 s.
 */
export function drainable(server: Server): (stopWaiting: () => void) => Promise<void> {
  const unanswered = new Set<ServerResponse>()
  let draining = false
  server.on('request', (_request, response: ServerResponse) => {
    // after the stop, keep-alive would let a client's next request in on its open connection (an SDK polls again
    // at once), and the server would never be done
    if (draining) return void response.setHeader('connection', 'close')
    unanswered.add(response)
    response.once('close', () => unanswered.delete(response))
  })
  return (stopWaiting) => new Promise<void>((resolve) => {
    draining = true
    server.close(() => resolve())
    for (const response of unanswered) if (!response.headersSent) response.setHeader('connection', 'close')
    // idle keep-alive sockets (every SDK keeps some) would hold close() open until they time out
    server.closeIdleConnections()
    stopWaiting()
    setTimeout(() => server.closeAllConnections(), finishMs).unref()
  })
}
