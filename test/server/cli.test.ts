/** `npm start` (the `dqs` command from source): flags over environment variables, and the queues file applied at each start. */
import { SQS } from '@aws-sdk/client-sqs'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { outsideNpm, runDqsCommand, startDqsCommand } from './dqs-command.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'dqs-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// tables of this file's own on the run's DynamoDB Local, so that they outlive one start
const env = {
  ...outsideNpm,
  DQS_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
  DQS_TABLE_PREFIX: `dqs-cli-${randomBytes(4).toString('hex')}`,
}
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' }

function queuesFile(name: string, queues: object) {
  const path = join(dir, name)
  writeFileSync(path, JSON.stringify({ queues }))
  return path
}

describe('npm start with a queues file', { timeout: 180_000 }, () => {
  it('creates the queues, changes nothing on the next start, applies a changed attribute and leaves a removed queue alone', async () => {
    const first = queuesFile('first.json', { jobs: { attributes: { VisibilityTimeout: 40 } }, 'jobs-dlq': {} })
    // a flag wins over its environment variable: DQS_PORT=1 is not a port this test may take
    let server = await startDqsCommand('npm', ['start', '--silent', '--', '--port', '0', '--config', first], { cwd: root, env: { ...env, DQS_PORT: '1' } })
    expect(server.output()).toContain(`Queues from ${first}: created jobs, jobs-dlq; updated none; 0 unchanged. Queues not in the file are left as they are.`)
    await server.stop()

    server = await startDqsCommand('npm', ['start', '--silent', '--', '--port', '0'], { cwd: root, env: { ...env, DQS_CONFIG: first } })
    expect(server.output()).toContain(`Queues from ${first}: created none; updated none; 2 unchanged.`)
    await server.stop()

    const second = queuesFile('second.json', { jobs: { attributes: { VisibilityTimeout: 50 } } })
    server = await startDqsCommand('npm', ['start', '--silent', '--', '--port', '0', '--config', second], { cwd: root, env })
    try {
      expect(server.output()).toContain(`Queues from ${second}: created none; updated jobs; 0 unchanged.`)
      const sqs = new SQS({ endpoint: server.url, region: 'us-east-1', credentials })
      const attributes = async (QueueName: string) => {
        const { QueueUrl } = await sqs.getQueueUrl({ QueueName })
        return (await sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['VisibilityTimeout'] })).Attributes
      }
      expect(await attributes('jobs')).toEqual({ VisibilityTimeout: '50' })
      expect(await attributes('jobs-dlq')).toEqual({ VisibilityTimeout: '30' })
      sqs.destroy()
    } finally {
      await server.stop()
    }
  })

  it('does not start with a wrong file, and says which queue and field are wrong', async () => {
    const wrong = queuesFile('wrong.json', { jobs: { attributes: { VisibilityTimeout: -1 } } })
    const { code, stderr } = await runDqsCommand(process.execPath, ['--import', 'tsx', 'functions/local.ts', '--config', wrong], { cwd: root, env })
    expect({ code, stderr: stderr.trim() }).toEqual({
      code: 1,
      stderr: `DQS could not start: ${wrong}: queues.jobs.attributes.VisibilityTimeout: Too small: expected number to be >=0`,
    })
  })
})

/** The command lines of the processes running now that mention `text`. */
function processesNaming(text: string) {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text)
    } catch {
      return false // ended meanwhile
    }
  })
}

describe('npm start with a wrong configuration', { timeout: 180_000 }, () => {
  it('says what is wrong in one line, and stops the DynamoDB Local it began to start before validating', async () => {
    const data = join(dir, 'never-used')
    const { code, stderr } = await runDqsCommand(process.execPath, ['--import', 'tsx', 'functions/local.ts', '--data-dir', data], {
      cwd: root, env: { ...outsideNpm, DQS_REGION: '' },
    })
    expect({ code, stderr: stderr.trim() }).toEqual({
      code: 1,
      stderr: 'DQS could not start: Invalid DQS configuration: DQS_REGION: Too small: expected string to have >=1 characters',
    })
    expect(processesNaming(data)).toEqual([])
  })
})

describe('npm start stopped from its terminal', { timeout: 180_000 }, () => {
  it('stops with its DynamoDB Local, which Ctrl-C reaches too, without reporting the failures that follow', async () => {
    const server = await startDqsCommand('npm', ['start', '--silent', '--', '--port', '0', '--data-dir', join(dir, 'stopped')], { cwd: root, env: outsideNpm })
    // at once, as a user who started it by mistake: the stream readers are still finding their shards
    await server.stop('SIGINT')
    expect(server.output()).toContain('SIGINT: stopping DQS…')
    // the counts follower's lease release, the stream tail's and the mover's reads all fail once the JVM is gone
    expect(server.output()).not.toMatch(/ECONNREFUSED|messages stream|moving messages/)
  })
})
