/** @module functions/secrets — the API's secrets, read from the resources SST links to the function, as the settings core's config reads. */
import { Resource } from 'sst/resource'

/**
 * Each `sst.Secret` of sst.config.ts that the API function is linked to, and the setting it provides. SST encrypts
 * linked values into the function's bundle (`resource.enc`); only the key to it (`SST_KEY`) is in the environment.
 */
export const linkedSecrets = { DqsCredentials: 'DQS_CREDENTIALS', DqsReceiptKey: 'DQS_RECEIPT_KEY' } as const

type Setting = (typeof linkedSecrets)[keyof typeof linkedSecrets]

/**
 * The linked secrets' values under their settings' names. A secret that is not linked throws SST's
 * `"DqsCredentials" is not linked …`, so a function deployed without its secrets fails at its cold start.
 *
 * @example
 * const config = loadLambdaConfig({ ...process.env, ...secretSettings() })
 */
export function secretSettings(): Record<Setting, string> {
  // typed here rather than through the sst-env.d.ts SST generates on deploy, which a clone has not yet
  const linked = Resource as unknown as Record<string, { value?: unknown } | undefined>
  const settings = {} as Record<Setting, string>
  for (const [name, setting] of Object.entries(linkedSecrets)) {
    const value = linked[name]?.value
    if (typeof value !== 'string' || !value) throw new Error(`the linked secret ${name} has no value: set it with \`sst secret set ${name} …\` and deploy again`)
    settings[setting] = value
  }
  return settings
}
