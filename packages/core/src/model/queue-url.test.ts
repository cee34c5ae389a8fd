import { describe, expect, it } from 'vitest'
import { parseQueueUrl } from './queue-url.js'

describe('parseQueueUrl', () => {
  it('reads the account and name from the path, whatever the host', () => {
    expect(parseQueueUrl('http://127.0.0.1:9324/000000000000/orders.fifo')).toEqual({ accountId: '000000000000', name: 'orders.fifo' })
    expect(parseQueueUrl('https://abc.lambda-url.eu-west-1.on.aws/123456789012/jobs/')).toEqual({ accountId: '123456789012', name: 'jobs' })
  })

  it('answers null for a bare name, a short account or a longer path', () => {
    expect(parseQueueUrl('orders')).toBeNull()
    expect(parseQueueUrl('http://localhost/1234/orders')).toBeNull()
    expect(parseQueueUrl('http://localhost/000000000000/orders/extra')).toBeNull()
  })
})
