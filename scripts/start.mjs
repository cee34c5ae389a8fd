/**
 * @module scripts/start — `npm start`: the `dqs` command as the published package runs it, from dist/dqs.js, built
 * first (esbuild, no types: about a second) whenever a source is newer than it. Loading TypeScript through tsx at
 * every start took two seconds of CPU, which on a small machine also slowed the Java beside it.
 *
 * package.json starts it with `--max-semi-space-size=16 --initial-old-space-size=96` (MB). V8 begins a full
 * collection whenever the old generation reaches its limit, which it sets a little above what the last one left
 * live: with the ~20 MB this server keeps, that was ~31 MB, and the 16 MB semi-spaces' promotions reached it every
 * few seconds (the counts follower ran a full collection every 2.5–4 s). A 96 MB initial old generation keeps the
 * limit high (full collections ~20 s apart under load), and 16 MB semi-spaces scavenge about a third as often as
 * 4 MB ones, each scavenge copying the same ~0.7 MB that in-flight requests keep alive. Against 4 MB semi-spaces:
 * ~9 % less CPU per message under load, for ~50 MB more resident memory (docs/benchmarks.md).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const built = join(root, 'dist', 'dqs.js')

/** The latest modification time of the files under `path` that go into the build (what node_modules holds does not). */
function newest(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = 0
  for (const entry of readdirSync(path)) if (entry !== 'node_modules') latest = Math.max(latest, newest(join(path, entry)))
  return latest
}

const sources = ['functions', 'packages', 'scripts', 'package.json'].map((path) => join(root, path))
if (!existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs) {
  console.error('dqs: building dist/ from the sources (they changed since the last build)…')
  const build = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build.ts'), '--no-types'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}
await import(new URL('../dist/dqs.js', import.meta.url).href)
