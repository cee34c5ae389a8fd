/** npm start: DQS on 127.0.0.1:9324 with an embedded DynamoDB Local; stops cleanly on SIGINT/SIGTERM. */
import { loadConfig } from '@dqs/core'
import { JavaMissing, startLocalServer } from '@dqs/server'

const inMemory = process.argv.includes('--in-memory')

async function main() {
  const config = loadConfig()
  const server = await startLocalServer(config, { inMemory })
  const where = server.dynamo ? (inMemory ? 'embedded DynamoDB Local, in memory' : `embedded DynamoDB Local, data in ${config.dataDir}`) : `DynamoDB at ${config.dynamoEndpoint ?? 'AWS'}`
  console.log(`DQS is serving the SQS API at ${server.url} (${where}).

Try it:
  aws --endpoint-url ${server.url} sqs create-queue --queue-name jobs
  aws --endpoint-url ${server.url} sqs send-message --queue-url ${server.url}/${config.defaultAccountId}/jobs --message-body hello

or from Node:
  new SQSClient({ endpoint: '${server.url}', region: '${config.region}', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
`)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping DQS…`)
    await server.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((error) => {
  console.error(error instanceof JavaMissing ? error.message : `DQS could not start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
