/** @module dqs — what the published `dqs` package exports besides its command: the test helper and the queues file's types. */
export { startDqs, type Dqs, type DqsOptions } from './start-dqs.js'
export type { QueueDeclaration, QueuesFile } from './queues-file.js'
