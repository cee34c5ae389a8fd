/**
 * The package as a user gets it: `npm pack` of this repository (which builds it), installed into an empty project
 * from the npm cache alone.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { outsideNpm } from '../server/dqs-command.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

interface LockEntry {
  name?: string
  version: string
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  [field: string]: unknown
}

/** Packs and installs; returns the project directory, whose node_modules/.bin holds `dqs`. */
export function packAndInstall(): string {
  const project = mkdtempSync(join(tmpdir(), 'dqs-package-'))
  const tarball = execFileSync('npm', ['pack', '--pack-destination', project, '--silent'], { cwd: root, env: outsideNpm, encoding: 'utf8' }).trim().split('\n').at(-1)!
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as LockEntry & { license: string }
  const integrity = `sha512-${createHash('sha512').update(readFileSync(join(project, tarball))).digest('base64')}`
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { dqs: `file:${tarball}` } }))
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify({
    name: 'app',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'app', dependencies: { dqs: `file:${tarball}` } },
      'node_modules/dqs': {
        version: manifest.version, resolved: `file:${tarball}`, integrity, license: manifest.license,
        dependencies: manifest.dependencies, bin: manifest.bin, engines: manifest.engines,
      },
      ...dependencyTree(Object.keys(manifest.dependencies ?? {})),
    },
  }))
  // `npm install` would ask the registry which versions match; `npm ci` takes them from the lockfile
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, env: outsideNpm, stdio: 'inherit' })
  return project
}

/**
 * The lockfile entries of these packages and of everything they need, as this repository's lockfile places them
 * (its `npm ci` put their tarballs in the npm cache). Each gets the registry URL that the cache knows it by.
 */
function dependencyTree(names: string[]): Record<string, LockEntry> {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }
  const parentOf = (key: string) => /^(.*)\/node_modules\/(?:@[^/]+\/)?[^/]+$/.exec(key)?.[1] ?? ''
  // Node's lookup: the nearest node_modules/<name> from the requiring package up to the top
  const resolve = (from: string, name: string): string | undefined => {
    for (let dir = from; ; dir = parentOf(dir)) {
      const key = `${dir ? `${dir}/` : ''}node_modules/${name}`
      if (lock.packages[key]) return key
      if (!dir) return undefined
    }
  }
  const registry = execFileSync('npm', ['config', 'get', 'registry'], { env: outsideNpm, encoding: 'utf8' }).trim().replace(/\/?$/, '/')
  const tree: Record<string, LockEntry> = {}
  const pending = names.map((name) => ({ from: '', name }))
  for (let next; (next = pending.pop());) {
    const key = resolve(next.from, next.name)
    if (!key) throw new Error(`${next.name} (needed by ${next.from || 'dqs'}) is not in package-lock.json`)
    if (tree[key]) continue
    const { dev, devOptional, peer, ...entry } = lock.packages[key]!
    const name = entry.name ?? key.replace(/^.*node_modules\//, '')
    tree[key] = { ...entry, resolved: `${registry}${name}/-/${name.split('/').at(-1)}-${entry.version}.tgz` }
    for (const dependency of Object.keys(entry.dependencies ?? {})) pending.push({ from: key, name: dependency })
    // optional ones, and peers (which the lockfile lists where something else brought them), only where present
    for (const dependency of Object.keys({ ...entry.optionalDependencies, ...entry.peerDependencies })) {
      if (resolve(key, dependency)) pending.push({ from: key, name: dependency })
    }
  }
  return tree
}
