/** @module scripts/bundle-size — bundles functions/api.ts as SST does and reports its size and cold init time (`npx tsx scripts/bundle-size.ts`). */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { bundleForLambda } from './lambda-bundle.js'

/**
 * What the deployed function's environment holds (sst.config.ts); no request is made, so no endpoint is reached.
 * The linked secrets come as SST_RESOURCE_<name> variables here; deployed, SST decrypts them from the bundle's
 * `resource.enc` (one AES-GCM over less than a kilobyte).
 */
const lambdaEnv = {
  AWS_REGION: 'us-east-1',
  DQS_QUEUES_TABLE: 'dqs-production-QueuesTable',
  DQS_MESSAGES_TABLE: 'dqs-production-MessagesTable',
  DQS_REQUIRE_AUTH: 'true',
  SST_RESOURCE_App: JSON.stringify({ name: 'dqs', stage: 'production' }),
  SST_RESOURCE_DqsCredentials: JSON.stringify({ type: 'sst.sst.Secret', value: 'AKIDEXAMPLE:secret:123456789012' }),
  SST_RESOURCE_DqsReceiptKey: JSON.stringify({ type: 'sst.sst.Secret', value: 'bundle-size-key' }),
}

const runs = 7
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`

const dir = mkdtempSync(join(tmpdir(), 'dqs-bundle-'))
try {
  const outfile = join(dir, 'api.mjs')
  const metafile = await bundleForLambda('functions/api.ts', outfile)
  const code = readFileSync(outfile)
  const byPackage = new Map<string, number>()
  for (const [path, input] of Object.entries(metafile.outputs[Object.keys(metafile.outputs)[0]!]!.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? (path.startsWith('packages/') ? path.split('/').slice(0, 2).join('/') : path)
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput)
  }

  // a fresh process per run: import the bundle (config, DynamoDB client, engine and app are created on import)
  const probe = `const t = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); if (typeof m.handler !== 'function') throw new Error('no handler'); console.log(performance.now() - t)`
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { env: { ...process.env, ...lambdaEnv, NODE_OPTIONS: '' }, encoding: 'utf8' })
    if (child.status !== 0) throw new Error(`init failed: ${child.stderr}`)
    times.push(Number(child.stdout.trim()))
  }
  times.sort((a, b) => a - b)

  console.log(`functions/api.ts bundled as SST would (ESM, minified, target node20, AWS SDK included):`)
  console.log(`  size: ${kib(code.length)} (${code.length} bytes), gzipped ${kib(gzipSync(code).length)}`)
  console.log(`  largest parts: ${[...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([name, bytes]) => `${name} ${kib(bytes)}`).join(', ')}`)
  console.log(`  init (import + first app creation, fresh node ${process.version}, ${runs} runs): median ${times[runs >> 1]!.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times[runs - 1]!.toFixed(0)} ms`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
