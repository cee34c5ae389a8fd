/** @module config-defaults — the defaults the `dqs` command reads before the configuration's validation (zod) has loaded. */

/** where the embedded DynamoDB Local keeps its data unless DQS_DATA_DIR says otherwise */
export const defaultDataDir = './.dqs'
