/** @module test/reliability/support/cluster — several DQS server processes on the run's DynamoDB Local, which a test may crash and restart. */
import { freePort } from '@dqs/server'
import { inject } from 'vitest'
import { startServerProcess, type ServerProcess } from '../../../bench/support/server-process.js'

export interface Cluster {
  /** URLs of the instances that are up now (what a load balancer with health checks would route to) */
  live(): string[]
  servers(): ServerProcess[]
  /** SIGKILL instance i; `restart` brings it back on the same port */
  crash(i: number): Promise<void>
  restart(i: number): Promise<void>
  /** RSS in bytes of each instance that is up */
  rss(): number[]
  stop(): Promise<void>
}

export async function startCluster(size: number, options: { dynamoEndpoint?: string; env?: Record<string, string> } = {}): Promise<Cluster> {
  const base = { dynamoEndpoint: options.dynamoEndpoint ?? inject('dynamoEndpoint'), tablePrefix: inject('tablePrefix'), env: options.env }
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()))
  const servers: Array<ServerProcess | null> = []
  for (const port of ports) servers.push(await startServerProcess({ ...base, port }))
  return {
    live: () => servers.filter((s): s is ServerProcess => s !== null).map((s) => s.url),
    servers: () => servers.filter((s): s is ServerProcess => s !== null),
    async crash(i) {
      const server = servers[i]
      servers[i] = null
      await server?.crash()
    },
    async restart(i) {
      servers[i] ??= await startServerProcess({ ...base, port: ports[i]! })
    },
    rss: () => servers.flatMap((s) => (s?.rss() ? [s.rss()!] : [])),
    async stop() {
      await Promise.all(servers.map((s) => s?.stop()))
    },
  }
}
