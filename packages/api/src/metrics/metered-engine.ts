/**
 * @module metrics/metered-engine — the engine, counting what passes through it: messages sent, received and deleted
 * per queue. SQS requests and the console reach the engine the same way, so both are counted; the engine itself
 * reports dead-letter moves (EngineDeps.metrics), which happen inside a receive.
 */
import { Engine, type EngineDeps, type EngineOptions, type Queue, type ReceiveOptions, type SendEntry, type SqsError } from '@dqs/core'
import type { DqsMetrics } from './registry.js'

export class MeteredEngine extends Engine {
  constructor(deps: Omit<EngineDeps, 'state' | 'metrics'>, options: EngineOptions, private readonly metrics: DqsMetrics) {
    super({ ...deps, metrics }, options)
  }

  override async sendMessages(queue: Queue, entries: SendEntry[], senderId: string, options: { batch?: boolean } = {}) {
    const results = await super.sendMessages(queue, entries, senderId, options)
    this.metrics.sent(queue, results.filter((r) => r.ok).length)
    return results
  }

  override async receiveMessages(queue: Queue, options: ReceiveOptions) {
    const messages = await super.receiveMessages(queue, options)
    this.metrics.received(queue, messages.length)
    return messages
  }

  override async deleteMessageBatch(queue: Queue, receiptHandles: string[]): Promise<Array<SqsError | null>> {
    const results = await super.deleteMessageBatch(queue, receiptHandles)
    this.metrics.deleted(queue, results.filter((r) => r === null).length)
    return results
  }

  override async deletePeekedMessage(queue: Queue, ref: string) {
    await super.deletePeekedMessage(queue, ref)
    this.metrics.deleted(queue, 1)
  }

  override async deleteQueue(queue: Queue) {
    await super.deleteQueue(queue)
    this.metrics.forgetQueue(queue)
  }
}
