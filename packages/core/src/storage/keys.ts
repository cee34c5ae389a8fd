/** @module storage/keys — every key and key prefix in DQS's tables: the only place they are built. */

export const queueKey = (accountId: string, name: string) => ({ pk: `acct#${accountId}`, sk: `q#${name}` })
export const queuePrefix = (accountId: string, namePrefix: string) => ({ pk: `acct#${accountId}`, skPrefix: `q#${namePrefix}` })
export const tombstoneKey = (accountId: string, name: string) => ({ pk: `acct#${accountId}`, sk: `deleted#${name}` })
export const statsKey = (queueId: string) => ({ pk: `stats#${queueId}`, sk: '#' })

/** Partition of one shard of a standard queue's messages in one purge generation. */
export const shardPartition = (queueId: string, gen: number, shard: number) => `${queueId}#${gen}#${shard}`
