/**
 * DynamoDB Local's JVM starts from a class-data-sharing archive that its first start records: the archive is
 * written whole or not at all, the next start maps it, and an archive that breaks the JVM is thrown away.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, startDynamoLocal, type DynamoLocal } from '@dqs/server'
import { jarDirectory } from '../../packages/server/src/dynamo-local.js'
import { archivedLaunch, crashReportFile } from '../../packages/server/src/jvm-archive.js'
import { afterAll, describe, expect, it } from 'vitest'

const cache = mkdtempSync(join(tmpdir(), 'dqs-jvm-archive-'))
afterAll(() => rmSync(cache, { recursive: true, force: true }))

const archives = () => readdirSync(cache).filter((name) => name.endsWith('.jsa'))
const partials = () => readdirSync(cache).filter((name) => name.endsWith('.partial'))
/** The JVM crash reports in a directory: the working directory's, or the temporary one's that DQS names. */
const crashReports = (directory: string, prefix: string) => readdirSync(directory).filter((name) => name.startsWith(prefix) && name.endsWith('.log'))
const reportPrefix = crashReportFile.split('/').at(-1)!.split('%p')[0]!
const maps = (dynamo: DynamoLocal, path: string) => readFileSync(`/proc/${dynamo.pid}/maps`, 'utf8').includes(path)
const argumentsOf = (dynamo: DynamoLocal) => readFileSync(`/proc/${dynamo.pid}/cmdline`, 'utf8').split('\0')
/** The JIT's optimising tier held back until a load runs (jvm-archive.ts `laterOptimisation`): the start is faster. */
const laterOptimisation = ['-XX:Tier4InvocationThreshold=50000', '-XX:Tier4CompileThreshold=150000', '-XX:Tier4BackEdgeThreshold=400000']

/** A request DynamoDB Local answers only once its storage works: the JVM is serving, not just listening. */
async function listTables(dynamo: DynamoLocal) {
  const response = await fetch(dynamo.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      authorization: 'AWS4-HMAC-SHA256 Credential=dqs/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
  })
  expect(response.status).toBe(200)
  return (await response.json()) as { TableNames: string[] }
}

describe('the JVM archive', { timeout: 180_000 }, () => {
  it('is recorded by the first start, whole, and mapped by the next; archives for another java or jar go', async () => {
    writeFileSync(join(cache, '0123456789abcdef.jsa'), 'recorded for a java that is gone')
    const first = await startDynamoLocal({ cacheDirectory: cache })
    expect(await listTables(first)).toEqual({ TableNames: [] })
    expect(archives()).toEqual(['0123456789abcdef.jsa']) // written as the JVM exits
    await first.stop()
    expect(archives()).toHaveLength(1)
    expect(partials()).toEqual([])
    const archive = join(cache, archives()[0]!)

    const second = await startDynamoLocal({ cacheDirectory: cache })
    try {
      expect(maps(second, archive)).toBe(true)
      expect(argumentsOf(second)).toEqual(expect.arrayContaining([...laterOptimisation, '-Djava.locale.providers=CLDR']))
      expect(await listTables(second)).toEqual({ TableNames: [] })
    } finally {
      await second.stop()
    }
    expect(archives()).toEqual([archive.split('/').at(-1)]) // a start that maps it writes none
  })

  it('comes with the jar\'s SQLite library, which the JVM loads from the cache rather than copying it to the temporary directory', async () => {
    const dynamo = await startDynamoLocal({ cacheDirectory: cache })
    try {
      await listTables(dynamo) // the library loads with the first request
      const library = join(cache, 'sqlite', 'libsqlite4java.so')
      expect(argumentsOf(dynamo)).toContain(`-Dorg.sqlite.lib.path=${join(cache, 'sqlite')}`)
      expect(maps(dynamo, library)).toBe(true)
      expect(readFileSync(`/proc/${dynamo.pid}/maps`, 'utf8')).not.toContain(tmpdir() + '/sqlite-')
    } finally {
      await dynamo.stop()
    }
  })

  it('is described again from a launch.json of an older format', async () => {
    const described = join(cache, 'launch.json')
    const launch = JSON.parse(readFileSync(described, 'utf8')) as { format: number; sqliteLibraryDirectory: string }
    const { format: _format, sqliteLibraryDirectory: _library, ...older } = launch
    writeFileSync(described, JSON.stringify(older))
    rmSync(join(cache, 'sqlite'), { recursive: true })
    const dynamo = await startDynamoLocal({ cacheDirectory: cache })
    await dynamo.stop()
    expect(JSON.parse(readFileSync(described, 'utf8'))).toEqual(launch)
    expect(statSync(join(cache, 'sqlite', 'libsqlite4java.so')).size).toBeGreaterThan(100_000)
  })

  it('is discarded when the JVM cannot start with it, and recorded again by the next start', async () => {
    const [name] = archives()
    expect(name).toBeDefined()
    const archive = join(cache, name!)
    // a truncated archive makes the JVM that maps it crash (SIGBUS) before it serves
    writeFileSync(archive, readFileSync(archive).subarray(0, 1 << 20))
    const reportsBefore = { here: crashReports(process.cwd(), 'hs_err_pid'), temporary: crashReports(tmpdir(), reportPrefix) }
    const dynamo = await startDynamoLocal({ cacheDirectory: cache })
    // its crash report went to the temporary directory, not into the project
    const report = crashReports(tmpdir(), reportPrefix).filter((name) => !reportsBefore.temporary.includes(name))
    expect(report).toHaveLength(1)
    rmSync(join(tmpdir(), report[0]!))
    expect(crashReports(process.cwd(), 'hs_err_pid')).toEqual(reportsBefore.here)
    try {
      expect(await listTables(dynamo)).toEqual({ TableNames: [] })
      expect(readFileSync(`/proc/${dynamo.pid}/cmdline`, 'utf8')).toContain('DynamoDBLocal.jar\0-port')
    } finally {
      await dynamo.stop()
    }
    expect(archives()).toEqual([])
    const next = await startDynamoLocal({ cacheDirectory: cache })
    await next.stop()
    expect(archives()).toEqual([name])
    expect(statSync(archive).size).toBeGreaterThan(1 << 20)
    expect(partials()).toEqual([])
  })

  it('follows the project when it moves: a launch described for jars elsewhere is described again', async () => {
    const described = join(cache, 'launch.json')
    const launch = JSON.parse(readFileSync(described, 'utf8')) as { jarDirectory: string; classPath: string[] }
    writeFileSync(described, JSON.stringify({ ...launch, jarDirectory: '/moved/away', classPath: launch.classPath.map((jar) => `/moved/away${jar}`) }))
    const before = archives()
    const dynamo = await startDynamoLocal({ cacheDirectory: cache })
    try {
      expect(await listTables(dynamo)).toEqual({ TableNames: [] })
    } finally {
      await dynamo.stop()
    }
    expect(JSON.parse(readFileSync(described, 'utf8'))).toEqual(launch)
    // the jar copy was written again, which the JVM would not map the old archive with: a new one was recorded
    const recorded = archives().filter((name) => !before.includes(name))
    expect(recorded).toHaveLength(1)
    const next = await startDynamoLocal({ cacheDirectory: cache })
    try {
      expect(maps(next, join(cache, recorded[0]!))).toBe(true)
    } finally {
      await next.stop()
    }
  })

  it('is not kept from a JVM stopped before it served: it would hold the boot\'s classes alone', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'dqs-jvm-archive-unserved-'))
    try {
      const launch = await archivedLaunch(jarDirectory(), fresh)
      expect(launch.recording).toBe(true)
      const java = spawn('java', [...launch.args, '-port', String(await freePort()), '-inMemory', '-disableTelemetry'], { stdio: ['ignore', 'pipe', 'ignore'] })
      // DynamoDB Local prints its configuration as its main begins, well before it serves: the JVM handles signals by
      // then, and exits by its shutdown (code 143), writing what it has archived so far
      await new Promise<void>((resolve) => {
        let printed = ''
        java.stdout.on('data', (chunk) => {
          printed += chunk
          if (printed.includes('Port:')) resolve()
        })
      })
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
        java.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
        java.kill('SIGTERM')
      })
      expect({ code, signal }).toEqual({ code: 143, signal: null })
      launch.exited(code, signal)
      expect(readdirSync(fresh).filter((name) => name.endsWith('.jsa') || name.endsWith('.partial'))).toEqual([])
    } finally {
      rmSync(fresh, { recursive: true, force: true })
    }
  })

  it('is not needed: a cache that cannot be written leaves the plain launch', async () => {
    const file = join(cache, 'not-a-directory')
    writeFileSync(file, '')
    const dynamo = await startDynamoLocal({ cacheDirectory: join(file, 'cache') })
    try {
      expect(await listTables(dynamo)).toEqual({ TableNames: [] })
      expect(readFileSync(`/proc/${dynamo.pid}/cmdline`, 'utf8')).toContain('DynamoDBLocal.jar\0-port')
      expect(argumentsOf(dynamo)).toEqual(expect.arrayContaining(laterOptimisation))
    } finally {
      await dynamo.stop()
    }
  })
})
