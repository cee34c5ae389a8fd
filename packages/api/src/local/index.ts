/** @module @dqs/api/local — running DQS as a local Node server with an embedded DynamoDB Local. */
export { startLocalServer, type LocalServer } from './server.js'
export { startDynamoLocal, freePort, JavaMissing, type DynamoLocal } from './dynamo-local.js'
export { wakePollsFromStream } from './stream-wakeups.js'
