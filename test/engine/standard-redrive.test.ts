import type { Queue } from '@dqs/core'
import { afterAll, describe, expect, it } from 'vitest'
import { testEngine } from '../support/engine.js'

const { engine, clock, db, createQueue, reload, send, receive } = testEngine()
afterAll(() => db.destroy())

const arnOf = (queue: Queue) => `arn:aws:sqs:us-east-1:${queue.accountId}:${queue.name}`

async function sourceAndDeadLetterQueue(maxReceiveCount: number, dlqAttributes: Record<string, string> = {}) {
  const dlq = await createQueue(dlqAttributes)
  const source = await createQueue({ VisibilityTimeout: '30', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf(dlq), maxReceiveCount }) })
  return { source, dlq }
}

describe('standard queue redrive (manual clock)', () => {
  it('moves a message whose visibility expired maxReceiveCount times, on the next receive', async () => {
    const { source, dlq } = await sourceAndDeadLetterQueue(3)
    const sent = await send(source, 'poison')
    for (let i = 0; i < 3; i++) {
      expect(await receive(source)).toHaveLength(1)
      clock.advance(30_000)
    }
    expect(await receive(source)).toHaveLength(0)
    const [moved] = await receive(dlq)
    expect(moved).toMatchObject({ messageId: sent.messageId, body: 'poison', receiveCount: 1, deadLetterQueueSourceArn: arnOf(source) })
  })

  it('keeps the original send time, so retention in the dead-letter queue counts from the first send', async () => {
    const { source, dlq } = await sourceAndDeadLetterQueue(1, { MessageRetentionPeriod: '120' })
    const sentAt = clock.now()
    await send(source, 'aging')
    await receive(source)
    clock.advance(100_000)
    expect(await receive(source)).toHaveLength(0)
    const [moved] = await receive(dlq, { visibilityTimeout: 0 })
    expect(moved!.sentAt).toBe(sentAt)
    clock.advance(20_000)
    expect(await receive(dlq)).toHaveLength(0)
  })

  it('puts the message in exactly one queue when receives race for it', async () => {
    const { source, dlq } = await sourceAndDeadLetterQueue(1)
    await send(source, 'raced')
    await receive(source)
    clock.advance(30_000)
    const results = await Promise.all(Array.from({ length: 6 }, () => receive(source)))
    const fromSource = results.flat()
    const fromDlq = await receive(dlq)
    expect(fromSource.length + fromDlq.length).toBe(1)
  })

  it('stops moving when the redrive policy is removed', async () => {
    const { source, dlq } = await sourceAndDeadLetterQueue(1)
    await send(source, 'kept')
    await receive(source)
    await engine.setQueueAttributes(source, { RedrivePolicy: '' })
    clock.advance(30_000)
    expect(await receive(await reload(source))).toHaveLength(1)
    expect(await receive(dlq)).toHaveLength(0)
  })

  it('keeps delivering from the source once the dead-letter queue is deleted', async () => {
    const { source, dlq } = await sourceAndDeadLetterQueue(1)
    await send(source, 'orphan')
    await receive(source)
    await engine.deleteQueue(dlq)
    for (let i = 0; i < 3; i++) {
      clock.advance(30_000)
      expect(await receive(source)).toHaveLength(1)
    }
  })
})
