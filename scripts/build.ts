/**
 * @module scripts/build — the published package in dist/ (`npm run build`; `npm pack` runs it): the `dqs` command,
 * `startDqs` and its types, as JavaScript that needs no TypeScript at start. `--no-types` skips the types (npm start).
 * `--service` builds only the container's server instead (`npm run build:service`, scripts/service-bundle.ts).
 */
import { build, type Plugin } from 'esbuild'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { bundleService } from './service-bundle.js'

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> }
const dependencies = new Set(Object.keys(manifest.dependencies))
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')

/**
 * The workspace packages (TypeScript sources) are bundled; npm packages must be declared dependencies, and stay
 * imports unless `inline`.
 */
const declaredDependencies = (inline: boolean): Plugin => ({
  name: 'declared-dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path, importer }) => {
      // what the dependencies import is theirs to declare
      if (isBuiltin(path) || path.startsWith('@dqs/') || /[\\/]node_modules[\\/]/.test(importer)) return undefined
      if (!dependencies.has(packageOf(path))) {
        return { errors: [{ text: `${packageOf(path)} is imported by the published code but is not in package.json "dependencies"` }] }
      }
      return inline ? undefined : { path, external: true }
    })
  },
})

/** The emitted declarations reachable from the entry, copied beside each other; they may import only dependencies. */
function emitTypes(entry: string, outDir: string) {
  const emitted = mkdtempSync(join(tmpdir(), 'dqs-types-'))
  try {
    // the repository's compiler options, narrowed to what the entry reaches
    const config = join(emitted, 'tsconfig.json')
    writeFileSync(config, JSON.stringify({
      extends: resolve('tsconfig.json'),
      files: [resolve(entry)],
      include: [],
      compilerOptions: {
        noEmit: false, declaration: true, emitDeclarationOnly: true, rootDir: resolve('.'), outDir: emitted, typeRoots: [resolve('node_modules/@types')],
      },
    }))
    const tsc = spawnSync(join('node_modules', '.bin', 'tsc'), ['-p', config], { stdio: 'inherit' })
    if (tsc.status !== 0) throw new Error('tsc could not emit the declarations')
    mkdirSync(outDir, { recursive: true })
    const main = entry.replace(/\.ts$/, '.d.ts')
    const pending = [main]
    for (let file; (file = pending.pop());) {
      const text = readFileSync(join(emitted, file), 'utf8')
      for (const [, specifier] of text.matchAll(/^(?:import|export)\b.* from '([^']+)'/gm)) {
        // the copies sit in one directory: a sibling module comes along, anything further away cannot
        if (specifier!.startsWith('./')) pending.push(join(dirname(file), specifier!.replace(/\.js$/, '.d.ts')))
        else if (specifier!.startsWith('.') || !dependencies.has(packageOf(specifier!))) throw new Error(`${file} refers to ${specifier}, which the package does not have`)
      }
      copyFileSync(join(emitted, file), join(outDir, file === main ? 'index.d.ts' : file.split('/').at(-1)!))
    }
  } finally {
    rmSync(emitted, { recursive: true, force: true })
  }
}

/** What `buildPackage` writes: removed first, and nothing else of dist/ (the container's bundle stays). */
const packageOutputs = ['dist/dqs.js', 'dist/index.js', 'dist/chunks', 'dist/types']

async function buildPackage() {
  for (const path of packageOutputs) rmSync(path, { recursive: true, force: true })
  const options = {
    outdir: 'dist', bundle: true, splitting: true, chunkNames: 'chunks/[name]-[hash]', format: 'esm', platform: 'node',
    target: 'node20', logLevel: 'warning',
  } as const
  // startDqs, for the user's test set-up, shares the dependencies the user's project has
  await build({ ...options, entryPoints: { index: 'packages/server/src/published.ts' }, plugins: [declaredDependencies(false)] })
  // The command carries its dependencies: Node resolving, reading and (for CommonJS) scanning some 300 modules of
  // them cost ~0.3 s of CPU at each start, while DynamoDB Local's JVM needed both cores. Its CommonJS parts call
  // `require`, which an ES module lacks. The AWS SDK's ES modules rather than its CommonJS (as the Lambda bundle and
  // SST take them): only what DQS uses of them, without CommonJS's wrappers, which copied every export of each
  // client at load (0.58 MB less to parse; loading the command took ~70 ms less CPU)
  await build({
    ...options,
    mainFields: ['module', 'main'],
    entryPoints: { dqs: 'functions/local.ts' },
    plugins: [declaredDependencies(true)],
    banner: { js: "import { createRequire as createRequireOfDqs } from 'node:module'\nconst require = createRequireOfDqs(import.meta.url)" },
  })
  if (!process.argv.includes('--no-types')) emitTypes('packages/server/src/published.ts', 'dist/types')
}

if (process.argv.includes('--service')) await bundleService()
else await buildPackage()
