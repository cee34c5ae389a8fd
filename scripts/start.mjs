/**
 * @module scripts/start — `npm start`: the `dqs` command as the published package runs it, from dist/dqs.js, built
 * first (esbuild, no types: about a second) whenever a source is newer than it. Loading TypeScript through tsx at
 * every start took two seconds of CPU, which on a small machine also slowed the Java beside it.
 *
 * package.json starts it with `--max-semi-space-size=4` (MB). V8 begins a full collection whenever the old
 * generation's headroom is under the young generation's capacity; with Node's default (up to 16 MB a semi-space)
 * and the ~20 MB this server keeps live, that held after nearly every scavenge, and the counts follower ran a full
 * collection every 2.5–4 s. With 4 MB it runs about a third as many, and costs ~35 % less CPU per message.
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
