/** DQS servers as separate OS processes on one DynamoDB, as several function instances would be in production. */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { SQS } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, inject } from 'vitest'
import { jsonClient } from './clients.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

export interface ServerProcess {
  url: string
  child: ChildProcess
  /** SIGTERM and wait; `kill('SIGKILL')` on `child` for crash tests. */
  stop(): Promise<void>
}

/** Starts `functions/local.ts` on a free port against the run's DynamoDB Local (nothing embedded). */
export function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DQS_PORT: '0',
      DQS_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      DQS_TABLE_PREFIX: inject('tablePrefix'),
      DQS_EMBEDDED: 'false',
      // the run's own server keeps the counts and moves tasks: a helper process that is killed, or sits behind
      // injected faults, must not hold those leases while others wait for them to lapse
      DQS_FOLLOW_STREAM: 'false',
      DQS_MOVE_TASKS: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let started = false
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 60 s: ${output}`)), 60_000)
    const fail = (error: Error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    child.once('exit', (code) => fail(new Error(`server exited (${code}): ${output}`)))
    child.stderr!.on('data', (chunk) => (output += chunk))
    child.stdout!.on('data', (chunk) => {
      output += chunk
      const url = /serving the SQS API at (http:\/\/\S+?) /.exec(output)?.[1]
      if (!url || started) return
      started = true
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve({
        url,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
          }),
      })
    })
  })
}

/**
 * `count` server processes for the tests of one file, started before them and stopped after; returns a JSON
 * client per process (filled in once they are up).
 */
export function useServerProcesses(count: number, env: Record<string, string> = {}): SQS[] {
  const servers: ServerProcess[] = []
  const clients: SQS[] = []
  beforeAll(async () => {
    servers.push(...await Promise.all(Array.from({ length: count }, () => startServerProcess(env))))
    clients.push(...servers.map((s) => jsonClient({ endpoint: s.url })))
  }, 120_000)
  afterAll(() => Promise.all(servers.map((s) => s.stop())))
  return clients
}
