/** The `dqs` command as a user runs it: a child process (in its own process group, as a terminal runs it), its output, and where it says it serves. */
import { spawn, type ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * The environment without npm's own variables: those of an `npm test` run name this repository as the project
 * (npm_config_local_prefix), and npm or npx started from a test must find the project from its directory.
 */
export const outsideNpm: Record<string, string | undefined> = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)))

export interface CommandOptions {
  cwd: string
  env: Record<string, string | undefined>
}

export interface RunningDqs {
  url: string
  output(): string
  /**
   * A signal to the whole process group, as a terminal's Ctrl-C (SIGINT) or a service manager's stop (SIGTERM, the
   * default) reaches it; resolves with the exit code once none is left.
   */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** Starts the command and resolves once it prints where it serves. */
export function startDqsCommand(command: string, args: string[], options: CommandOptions): Promise<RunningDqs> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let output = ''
  return new Promise((resolve, reject) => {
    let started = false
    const timer = setTimeout(() => {
      void stopGroup(child, 'SIGKILL', exited)
      reject(new Error(`dqs did not start within 120 s:\n${output}`))
    }, 120_000)
    void exited.then((code) => {
      clearTimeout(timer)
      if (!started) reject(new Error(`dqs exited (${code}) before serving:\n${output}`))
    })
    child.stderr.on('data', (chunk) => (output += chunk))
    child.stdout.on('data', (chunk) => {
      output += chunk
      const url = /serving the SQS API at (http:\/\/\S+?) /.exec(output)?.[1]
      if (!url || started) return
      started = true
      clearTimeout(timer)
      resolve({ url, output: () => output, stop: (signal = 'SIGTERM') => stopGroup(child, signal, exited) })
    })
  })
}

/** Signals the child's process group, waits for the child's exit, then for the group (DynamoDB Local too) to be gone. */
async function stopGroup(child: ChildProcess, signal: NodeJS.Signals, exited: Promise<number | null>) {
  const group = -child.pid!
  const signalGroup = (s: NodeJS.Signals | 0) => {
    try {
      process.kill(group, s)
      return true
    } catch {
      return false // ESRCH: nobody left in the group
    }
  }
  signalGroup(signal)
  const code = await exited
  for (let waited = 0; signalGroup(0); waited += 100) {
    if (waited >= 30_000) signalGroup('SIGKILL')
    await sleep(100)
  }
  return code
}

/** Runs a command that is meant to end, and returns how it ended (killed with its group after 120 s). */
export function runDqsCommand(command: string, args: string[], options: CommandOptions) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const timer = setTimeout(() => void stopGroup(child, 'SIGKILL', exited), 120_000)
  return exited.then((code) => {
    clearTimeout(timer)
    return { code, stdout, stderr }
  })
}
