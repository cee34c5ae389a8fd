/** The queues file: checked with messages naming the queue and field, and applied through the engine on DynamoDB Local. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { applyQueues, InvalidQueuesFile, parseQueuesFile, queuesFileJsonSchema, queueSpecs, readQueuesFile, type QueuesFile } from '@dqs/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accountId, uniqueQueueName } from '../support/clients.js'
import { testEngine } from '../support/engine.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const { engine, clock, db, ensureOwnTables } = testEngine({ ownTables: 'queues-file' })
const where = { accountId, region: 'us-east-1' }
const arn = (name: string) => `arn:aws:sqs:us-east-1:${accountId}:${name}`
const apply = (file: QueuesFile) => applyQueues(engine, accountId, queueSpecs(parseQueuesFile(file, 'dqs.json'), where))
const problems = (content: unknown) => {
  try {
    parseQueuesFile(content, 'dqs.json')
    return ''
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidQueuesFile)
    return (error as Error).message
  }
}

beforeAll(() => ensureOwnTables())
afterAll(() => db.destroy())

describe('applying a queues file', () => {
  it('creates standard and FIFO queues with their attributes, tags and redrive policies (the dead-letter queue declared after its source)', async () => {
    const [orders, dlq, payments] = [uniqueQueueName('orders'), uniqueQueueName('orders-dlq'), uniqueQueueName('payments', true)]
    const applied = await apply({
      queues: {
        [orders]: { attributes: { VisibilityTimeout: 60, DelaySeconds: 5, RedrivePolicy: { deadLetterQueue: dlq, maxReceiveCount: 4 } }, tags: { team: 'shop' } },
        [dlq]: { attributes: { MessageRetentionPeriod: 1_209_600, RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueues: [orders] } } },
        [payments]: { attributes: { ContentBasedDeduplication: true, DeduplicationScope: 'messageGroup' } },
      },
    })
    expect(applied).toEqual({ created: [orders, dlq, payments].sort(), updated: [], unchanged: [] })
    const source = await engine.getQueue(accountId, orders)
    expect(source.attributes).toMatchObject({
      VisibilityTimeout: '60', DelaySeconds: '5', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn(dlq), maxReceiveCount: 4 }),
    })
    expect(source.tags).toEqual({ team: 'shop' })
    expect((await engine.getQueue(accountId, dlq)).attributes).toMatchObject({
      MessageRetentionPeriod: '1209600', RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arn(orders)] }),
    })
    const fifo = await engine.getQueue(accountId, payments)
    expect(fifo.fifo).toBe(true)
    expect(fifo.attributes).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'true', DeduplicationScope: 'messageGroup' })
  })

  it('changes nothing when applied again', async () => {
    const [jobs, dlq] = [uniqueQueueName('jobs'), uniqueQueueName('jobs-dlq')]
    const file: QueuesFile = {
      queues: { [jobs]: { attributes: { VisibilityTimeout: 10, RedrivePolicy: { deadLetterQueue: dlq, maxReceiveCount: 2 }, Policy: { Version: '2012-10-17', Statement: [] } }, tags: { a: '1' } }, [dlq]: {} },
    }
    await apply(file)
    const before = await engine.getQueue(accountId, jobs)
    clock.advance(5_000)
    expect(await apply(file)).toEqual({ created: [], updated: [], unchanged: [jobs, dlq].sort() })
    expect(await engine.getQueue(accountId, jobs)).toEqual(before)
  })

  it('applies a changed attribute and tag, and leaves what the file does not name as it is', async () => {
    const jobs = uniqueQueueName('jobs')
    await apply({ queues: { [jobs]: { attributes: { VisibilityTimeout: 10, DelaySeconds: 3 }, tags: { a: '1', b: '2' } } } })
    await engine.setQueueAttributes(await engine.getQueue(accountId, jobs), { MaximumMessageSize: '2048' })
    expect(await apply({ queues: { [jobs]: { attributes: { VisibilityTimeout: 20 }, tags: { b: '3' } } } }))
      .toEqual({ created: [], updated: [jobs], unchanged: [] })
    const queue = await engine.getQueue(accountId, jobs)
    expect(queue.attributes).toMatchObject({ VisibilityTimeout: '20', DelaySeconds: '3', MaximumMessageSize: '2048' })
    expect(queue.tags).toEqual({ a: '1', b: '3' })
  })

  it('adds a redrive policy to an existing queue and reports it updated', async () => {
    const [jobs, dlq] = [uniqueQueueName('jobs'), uniqueQueueName('jobs-dlq')]
    await apply({ queues: { [jobs]: {} } })
    expect(await apply({ queues: { [jobs]: { attributes: { RedrivePolicy: { deadLetterQueue: dlq, maxReceiveCount: 5 } } }, [dlq]: {} } }))
      .toEqual({ created: [dlq], updated: [jobs], unchanged: [] })
    expect((await engine.getQueue(accountId, jobs)).attributes.RedrivePolicy).toBe(JSON.stringify({ deadLetterTargetArn: arn(dlq), maxReceiveCount: 5 }))
  })

  it('leaves a queue removed from the file alone', async () => {
    const [kept, removed] = [uniqueQueueName('kept'), uniqueQueueName('removed')]
    await apply({ queues: { [kept]: {}, [removed]: { attributes: { VisibilityTimeout: 7 } } } })
    expect(await apply({ queues: { [kept]: {} } })).toEqual({ created: [], updated: [], unchanged: [kept] })
    expect((await engine.getQueue(accountId, removed)).attributes.VisibilityTimeout).toBe('7')
  })

  it('names the queue when the engine refuses a declaration, with SQS\'s reason', async () => {
    const name = uniqueQueueName('sse')
    await expect(apply({ queues: { [name]: { attributes: { KmsMasterKeyId: 'alias/aws/sqs', SqsManagedSseEnabled: true } } } }))
      .rejects.toThrow(`queues["${name}"]: You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.`)
  })
})

describe('checking a queues file', () => {
  it('names the queue and the field of each problem, one line each', () => {
    expect(problems({ queues: { orders: { attributes: { VisibilityTimeout: 99_999, Visibility: 1 } }, 'bad name': {} } }).split('\n').sort()).toEqual([
      'dqs.json: queues.orders.attributes: Unrecognized key: "Visibility"',
      'dqs.json: queues.orders.attributes.VisibilityTimeout: Too big: expected number to be <=43200',
      'dqs.json: queues["bad name"]: a queue name is 1–80 letters, digits, hyphens or underscores (FIFO: at most 75, then .fifo)',
    ].sort())
    expect(problems({ queues: { 'jobs.fifo': { tags: { team: 7 } } } })).toBe('dqs.json: queues["jobs.fifo"].tags.team: Invalid input: expected string, received number')
  })

  it('wants a redrive target declared in the file, of the same type as its source', () => {
    expect(problems({ queues: { a: { attributes: { RedrivePolicy: { deadLetterQueue: 'nowhere', maxReceiveCount: 3 } } } } }))
      .toBe('dqs.json: queues.a.attributes.RedrivePolicy.deadLetterQueue: "nowhere" is not declared in this file')
    expect(problems({ queues: { a: { attributes: { RedrivePolicy: { deadLetterQueue: 'b.fifo', maxReceiveCount: 3 } } }, 'b.fifo': {} } }))
      .toBe('dqs.json: queues.a.attributes.RedrivePolicy.deadLetterQueue: a dead-letter queue must be of the same type (standard or FIFO) as its source')
  })

  it('keeps FIFO attributes to FIFO queues, and sourceQueues to byQueue', () => {
    expect(problems({ queues: { a: { attributes: { ContentBasedDeduplication: true } }, b: { attributes: { FifoQueue: true } } } }).split('\n').sort()).toEqual([
      'dqs.json: queues.a.attributes.ContentBasedDeduplication: only FIFO queues (names ending in .fifo) take this attribute',
      'dqs.json: queues.b.attributes.FifoQueue: a FIFO queue is one whose name ends in .fifo, and only that',
    ])
    expect(problems({ queues: { a: { attributes: { RedriveAllowPolicy: { redrivePermission: 'allowAll', sourceQueues: ['b'] } } } } }))
      .toBe('dqs.json: queues.a.attributes.RedriveAllowPolicy.sourceQueues: sourceQueues goes with redrivePermission "byQueue", and only with it')
  })

  it('says when the file cannot be read or is not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dqs-queues-file-'))
    await expect(readQueuesFile(join(dir, 'missing.json'))).rejects.toThrow(`${join(dir, 'missing.json')}: cannot be read (ENOENT)`)
    writeFileSync(join(dir, 'broken.json'), '{ "queues": ')
    await expect(readQueuesFile(join(dir, 'broken.json'))).rejects.toThrow(`${join(dir, 'broken.json')}: not valid JSON: `)
    rmSync(dir, { recursive: true, force: true })
  })

  it('takes the README\'s example, and so does the engine', async () => {
    const example = JSON.parse(/## Queues file[\s\S]*?```json\n([\s\S]*?)```/.exec(readFileSync(join(root, 'README.md'), 'utf8'))![1]!)
    expect(problems(example)).toBe('')
    expect((await apply(example)).created).toEqual(Object.keys(example.queues).sort())
  })

  it('has its JSON Schema in dqs.schema.json, as `npm run schema` writes it', () => {
    expect(readFileSync(join(root, 'dqs.schema.json'), 'utf8')).toBe(queuesFileJsonSchema())
  })
})
