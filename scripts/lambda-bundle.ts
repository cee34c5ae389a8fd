/** @module scripts/lambda-bundle — a function's entry bundled the way SST's Node build bundles it for Lambda. */
import { build } from 'esbuild'

/** SST's Node build (v3 components): ESM `.mjs`, minified, this banner, nothing external but Node's built-ins. */
const sstBanner = [
  "import { createRequire as topLevelCreateRequire } from 'module';",
  'const require = topLevelCreateRequire(import.meta.url);',
  'import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"',
  'const __filename = topLevelFileUrlToPath(import.meta.url)',
  'const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))',
].join('\n')

/** Bundles `entry` (e.g. functions/api.ts) into `outfile`; answers esbuild's metafile. */
export async function bundleForLambda(entry: string, outfile: string) {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: sstBanner },
    // the AWS SDK v3 that Lambda's Node runtimes ship is not pinned to our version: bundle it like everything else
    packages: 'bundle',
    metafile: true,
    logLevel: 'warning',
  })
  return result.metafile
}
