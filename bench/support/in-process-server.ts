/** @module bench/support/in-process-server — DQS served from this process on a DynamoDB client we hand it (to meter every call). */
import { serve } from '@hono/node-server'
import { createRuntime } from '@dqs/api'
import { wakePollsFromStream } from '@dqs/server'
import type { Config, Db } from '@dqs/core'

export interface InProcessServer {
  url: string
  close(): Promise<void>
}

type Fetch = (request: Request) => Response | Promise<Response>

/**
 * Serves DQS on a free loopback port (the tables must exist already); `around` may wrap each request's handling.
 * Long polls wait as under `npm start`: woken from the messages stream when the config tails it.
 */
export function serveInProcess(config: Config, db: Db, around: (fetch: Fetch) => Fetch = (fetch) => fetch): Promise<InProcessServer> {
  const runtime = createRuntime(config, { db, engine: { probeCounts: !config.tailStream } })
  const tail = config.tailStream ? wakePollsFromStream(runtime, config) : undefined
  const fetch = around((request) => runtime.app.fetch(request))
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: async () => {
          await new Promise<void>((done) => {
            server.close(() => done())
            ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
          })
          await tail?.close()
        },
      })
    })
    server.once('error', reject)
  })
}
