import { afterAll, expect, it } from 'vitest'
import { jsonClient, uniqueQueueName } from '../support/clients.js'
import { startServerProcess, type ServerProcess } from '../support/server-process.js'

const servers: ServerProcess[] = []
afterAll(() => Promise.all(servers.map((s) => s.stop())))

it('a message sent through one server process is received through another', async () => {
  servers.push(await startServerProcess(), await startServerProcess())
  const [a, b] = servers.map((s) => jsonClient({ endpoint: s.url }))
  const { QueueUrl } = await a!.createQueue({ QueueName: uniqueQueueName('procs') })
  await a!.sendMessage({ QueueUrl, MessageBody: 'across' })
  const { Messages } = await b!.receiveMessage({ QueueUrl, WaitTimeSeconds: 5 })
  expect(Messages?.[0]?.Body).toBe('across')
}, 120_000)
