/** /metrics after a known workload: per-queue counters and gauges, requests by action and outcome, DynamoDB usage. */
import { describe, expect, it } from 'vitest'
import { accountId, endpoint, jsonClient, uniqueQueueName } from '../support/clients.js'

const sqs = jsonClient()
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The samples of a scrape: `name{labels}` → value (labels as written, sorted by the library). */
async function scrape(prefix = ''): Promise<{ text: string; value: (name: string, labels?: Record<string, string>) => number | undefined }> {
  const response = await fetch(`${endpoint}/metrics${prefix ? `?prefix=${prefix}` : ''}`)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  const text = await response.text()
  const samples = text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match) throw new Error(`not an exposition line: ${line}`)
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]))
    return { name: match[1]!, labels, value: Number(match[3]) }
  })
  const value = (name: string, labels: Record<string, string> = {}) => {
    const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    return found.length ? found.reduce((sum, s) => sum + s.value, 0) : undefined
  }
  return { text, value }
}

describe('/metrics', () => {
  it('counts a known workload per queue and reads the queue gauges at scrape time', async () => {
    const name = uniqueQueueName('metrics')
    const before = await scrape(name)
    const { QueueUrl } = await sqs.createQueue({ QueueName: name })
    await sqs.sendMessageBatch({ QueueUrl, Entries: [0, 1, 2].map((i) => ({ Id: `m${i}`, MessageBody: `body ${i}` })) })
    await sqs.sendMessage({ QueueUrl, MessageBody: 'later', DelaySeconds: 60 })
    const { Messages = [] } = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 60 })
    expect(Messages.length).toBe(2)
    await sqs.deleteMessage({ QueueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle! })
    await expect(sqs.getQueueUrl({ QueueName: uniqueQueueName('metrics-missing') })).rejects.toMatchObject({ name: 'QueueDoesNotExist' })
    await pause(1100)

    // the run's other tests leave many queues: a prefix picks this one's gauges out of them
    const after = await scrape(name)
    const queue = { queue: name }
    expect(after.value('dqs_queue_messages_sent_total', queue)).toBe(4)
    expect(after.value('dqs_queue_messages_received_total', queue)).toBe(2)
    expect(after.value('dqs_queue_messages_deleted_total', queue)).toBe(1)
    expect(after.value('dqs_queue_messages_visible', queue)).toBe(1)
    expect(after.value('dqs_queue_messages_in_flight', queue)).toBe(1)
    expect(after.value('dqs_queue_messages_delayed', queue)).toBe(1)
    expect(after.value('dqs_queue_oldest_message_age_seconds', queue)).toBeGreaterThanOrEqual(1)

    const delta = (name: string, labels: Record<string, string>) => (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0)
    expect(delta('dqs_requests_total', { action: 'SendMessageBatch', outcome: 'success' })).toBeGreaterThanOrEqual(1)
    expect(delta('dqs_requests_total', { action: 'ReceiveMessage', outcome: 'success' })).toBeGreaterThanOrEqual(1)
    expect(delta('dqs_requests_total', { action: 'GetQueueUrl', outcome: 'client_error', code: 'QueueDoesNotExist' })).toBeGreaterThanOrEqual(1)
    expect(delta('dqs_request_duration_seconds_count', { action: 'DeleteMessage' })).toBeGreaterThanOrEqual(1)
    expect(after.text).toMatch(/dqs_request_duration_seconds_bucket\{le="0\.005",action="SendMessage"\}/)
    // the sends were one BatchWriteItem to the messages table, whose consumed units DynamoDB reported
    expect(delta('dqs_dynamodb_requests_total', { operation: 'BatchWriteItem', outcome: 'success' })).toBeGreaterThanOrEqual(1)
    expect(delta('dqs_dynamodb_consumed_write_units_total', { operation: 'BatchWriteItem' })).toBeGreaterThanOrEqual(3)
    // the receive claimed both its messages in one BatchExecuteStatement
    expect(delta('dqs_dynamodb_requests_total', { operation: 'BatchExecuteStatement', outcome: 'success' })).toBeGreaterThanOrEqual(1)
    expect(after.value('dqs_dynamodb_consumed_read_units_total')).toBeGreaterThan(0)
    expect(after.text).toContain('# TYPE dqs_dynamodb_throttles_total counter')
    expect(after.text).toContain('# TYPE dqs_dynamodb_retries_total counter')
    expect(after.value('dqs_metrics_queues_omitted')).toBeGreaterThanOrEqual(0)

    // a deleted queue's series go
    await sqs.deleteQueue({ QueueUrl })
    expect((await scrape(name)).value('dqs_queue_messages_sent_total', queue)).toBeUndefined()
  })

  it('counts messages moved to a dead-letter queue', async () => {
    const name = uniqueQueueName('metrics-src')
    const { QueueUrl: dlq } = await sqs.createQueue({ QueueName: `${name}-dlq` })
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${accountId}:${name}-dlq`, maxReceiveCount: 1 })
    const { QueueUrl } = await sqs.createQueue({ QueueName: name, Attributes: { RedrivePolicy, VisibilityTimeout: '1' } })
    await sqs.sendMessage({ QueueUrl, MessageBody: 'poison' })
    expect((await sqs.receiveMessage({ QueueUrl })).Messages?.length).toBe(1)
    await pause(1100)
    expect((await sqs.receiveMessage({ QueueUrl })).Messages ?? []).toEqual([])
    const after = await scrape(name)
    expect(after.value('dqs_queue_messages_dead_lettered_total', { queue: name })).toBe(1)
    expect(after.value('dqs_queue_messages_visible', { queue: `${name}-dlq` })).toBe(1)
    await Promise.all([sqs.deleteQueue({ QueueUrl }), sqs.deleteQueue({ QueueUrl: dlq })])
  })
})
