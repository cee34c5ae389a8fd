/** @module @dqs/server — DQS as a local process: the HTTP server, an embedded DynamoDB Local, and the stream readers and mover a process runs beside it. */
export { startLocalServer, type LocalServer } from './server.js'
export { startDynamoLocal, freePort, JavaMissing, type DynamoLocal } from './dynamo-local.js'
export { wakePollsFromStream } from './stream-wakeups.js'
export { runCli } from './cli.js'
export { startDqs, type Dqs, type DqsOptions } from './start-dqs.js'
export { parseQueuesFile, readQueuesFile, queuesFileJsonSchema, InvalidQueuesFile, type QueuesFile, type QueueDeclaration } from './queues-file.js'
export { applyQueues, queueSpecs, QueueNotApplied, type AppliedQueues, type QueueSpec } from './apply-queues.js'
