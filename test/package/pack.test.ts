/** The published package: packed, installed offline into an empty project, and run as `npx dqs` and `import { startDqs } from 'dqs'`. */
import { SQS } from '@aws-sdk/client-sqs'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { JavaMissing } from '@dqs/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { outsideNpm, runDqsCommand, startDqsCommand } from '../server/dqs-command.js'
import { packAndInstall } from './installed-package.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const tsc = join(root, 'node_modules', '.bin', 'tsc')
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' }

const env = { ...outsideNpm, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }

describe('the dqs package, installed from its tarball into an empty project', { timeout: 180_000 }, () => {
  let project: string
  let dqs: string
  beforeAll(() => {
    project = packAndInstall()
    dqs = join(project, 'node_modules', '.bin', 'dqs')
  }, 600_000)
  afterAll(() => rmSync(project, { recursive: true, force: true }))

  it('serves SQS with `npx dqs --in-memory`, with the queues of --config created at start', async () => {
    writeFileSync(join(project, 'dqs.json'), JSON.stringify({
      queues: { 'orders-dlq': {}, orders: { attributes: { VisibilityTimeout: 45, RedrivePolicy: { deadLetterQueue: 'orders-dlq', maxReceiveCount: 3 } } } },
    }))
    const server = await startDqsCommand('npx', ['dqs', '--in-memory', '--port', '0', '--config', 'dqs.json'], { cwd: project, env })
    try {
      const sqs = new SQS({ endpoint: server.url, region: 'us-east-1', credentials })
      const { QueueUrl } = await sqs.getQueueUrl({ QueueName: 'orders' })
      const { Attributes } = await sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] })
      expect(Attributes).toEqual({
        VisibilityTimeout: '45',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:orders-dlq', maxReceiveCount: 3 }),
      })
      await sqs.sendMessage({ QueueUrl, MessageBody: 'from the installed package' })
      const { Messages } = await sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 5 })
      expect(Messages?.map((m) => m.Body)).toEqual(['from the installed package'])
      sqs.destroy()
    } finally {
      await server.stop()
    }
  })

  it('prints its usage for --help and exits 0', async () => {
    const { code, stdout } = await runDqsCommand('npx', ['dqs', '--help'], { cwd: project, env })
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Usage: dqs \[options\]/)
    for (const flag of ['--port', '--host', '--data-dir', '--in-memory', '--dynamodb-endpoint', '--config', '--help']) expect(stdout).toContain(flag)
  })

  it('is what `npm start` runs in this repository, built again first once a source is newer than it', async () => {
    const start = join(root, 'scripts', 'start.mjs')
    // npm pack has just built dist/: it runs as it is
    const fresh = await runDqsCommand(process.execPath, [start, '--help'], { cwd: root, env })
    expect(fresh.code).toBe(0)
    expect(fresh.stdout).toMatch(/^Usage: dqs \[options\]/)
    expect(fresh.stderr).not.toContain('building')
    // older than every source: built again, then run; the container's bundle beside it (`npm run build:service`) stays
    utimesSync(join(root, 'dist', 'dqs.js'), new Date(0), new Date(0))
    const service = join(root, 'dist', 'service.mjs')
    const placed = !existsSync(service)
    if (placed) writeFileSync(service, '// stands in for the container bundle\n')
    try {
      const stale = await runDqsCommand(process.execPath, [start, '--help'], { cwd: root, env })
      expect(stale.code).toBe(0)
      expect(stale.stderr).toContain('dqs: building dist/ from the sources')
      expect(stale.stdout).toMatch(/^Usage: dqs \[options\]/)
      expect(statSync(join(root, 'dist', 'dqs.js')).mtimeMs).toBeGreaterThan(Date.now() - 120_000)
      expect(existsSync(service)).toBe(true)
    } finally {
      if (placed) rmSync(service, { force: true })
    }
  })

  it('refuses an unknown flag in one line, with exit code 2', async () => {
    const { code, stderr } = await runDqsCommand(dqs, ['--prot', '9000'], { cwd: project, env })
    expect({ code, stderr: stderr.trim() }).toEqual({ code: 2, stderr: "dqs: Unknown option '--prot' (dqs --help lists the options)" })
  })

  it('says in one line that the port is taken', async () => {
    const taken = await new Promise<Server>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => resolve(server))
    })
    try {
      const { port } = taken.address() as { port: number }
      const { code, stderr } = await runDqsCommand(dqs, ['--in-memory', '--port', String(port)], { cwd: project, env })
      expect({ code, stderr: stderr.trim() }).toEqual({
        code: 1,
        stderr: `DQS could not start: port ${port} on 127.0.0.1 is already in use (--port or DQS_PORT)`,
      })
    } finally {
      taken.close()
    }
  })

  it('says in one line that Java is missing, when no java is on the PATH', async () => {
    const onlyNode = mkdtempSync(join(tmpdir(), 'dqs-no-java-'))
    try {
      symlinkSync(process.execPath, join(onlyNode, 'node'))
      const { code, stderr } = await runDqsCommand(dqs, ['--in-memory'], { cwd: project, env: { ...env, PATH: onlyNode } })
      expect({ code, stderr: stderr.trim() }).toEqual({ code: 1, stderr: new JavaMissing().message })
    } finally {
      rmSync(onlyNode, { recursive: true, force: true })
    }
  })

  it('exports startDqs: a server with the declared queues, reset, stopped', async () => {
    const script = `
      import { startDqs } from 'dqs'
      const dqs = await startDqs({ config: { queues: { jobs: {} } } })
      const call = (action, input) => fetch(dqs.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.' + action },
        body: JSON.stringify(input),
      }).then((response) => response.json())
      const { QueueUrl } = await call('GetQueueUrl', { QueueName: 'jobs' })
      await call('SendMessage', { QueueUrl, MessageBody: 'before reset' })
      await dqs.reset()
      const { Messages = [] } = await call('ReceiveMessage', { QueueUrl })
      console.log(JSON.stringify({ sameUrl: QueueUrl === dqs.queueUrl('jobs'), afterReset: Messages.length }))
      await dqs.stop()
    `
    writeFileSync(join(project, 'helper.mjs'), script)
    const { code, stdout, stderr } = await runDqsCommand(process.execPath, ['helper.mjs'], { cwd: project, env })
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(JSON.parse(stdout)).toEqual({ sameUrl: true, afterReset: 0 })
  })

  it('types startDqs and the queues file for TypeScript users', () => {
    const check = (source: string) => {
      writeFileSync(join(project, 'setup.ts'), source)
      try {
        execFileSync(tsc, ['--ignoreConfig', '--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', 'setup.ts'], { cwd: project, encoding: 'utf8' })
        return ''
      } catch (error) {
        return String((error as { stdout?: string }).stdout)
      }
    }
    expect(check(`
      import { startDqs, type QueuesFile } from 'dqs'
      const config: QueuesFile = { queues: { 'jobs.fifo': { attributes: { ContentBasedDeduplication: true }, tags: { team: 'a' } } } }
      export const dqs = await startDqs({ config, env: { DQS_PURGE_COOLDOWN: '0' } })
      export const url: string = dqs.queueUrl('jobs.fifo')
    `)).toBe('')
    expect(check(`
      import { startDqs } from 'dqs'
      export const dqs = await startDqs({ config: { queues: { jobs: { attributes: { VisibilityTimeout: '30' } } } } })
    `)).toMatch(/setup\.ts.*error TS\d+/)
  })
})
