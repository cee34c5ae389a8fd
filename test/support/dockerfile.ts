/** The Dockerfile read as a builder reads it: each stage's base image and instructions, for tests to run what it says. */

export interface ImageStage {
  /** `FROM` image, and the stage's name (`AS …`). */
  from: string
  name?: string
  workdir?: string
  env: Record<string, string>
  copies: Array<{ from?: string; source: string; target: string }>
  runs: string[]
  user?: string
  expose: string[]
  /** `CMD` in exec form (a JSON array). */
  cmd: string[]
}

/** The stages in order; the last is the image. Only the instructions and forms this repository's Dockerfile uses. */
export function readDockerfile(text: string): ImageStage[] {
  const instructions = text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'))
  const stages: ImageStage[] = []
  for (const line of instructions) {
    const [keyword, ...rest] = line.split(/\s+/)
    const args = rest.join(' ')
    if (keyword === 'FROM') {
      const [from, as, name] = rest
      stages.push({ from: from!, name: as?.toUpperCase() === 'AS' ? name : undefined, env: {}, copies: [], runs: [], expose: [], cmd: [] })
      continue
    }
    const stage = stages.at(-1)
    if (!stage) throw new Error(`Dockerfile: ${keyword} before any FROM`)
    if (keyword === 'WORKDIR') stage.workdir = args
    else if (keyword === 'ENV') for (const [, name, value] of args.matchAll(/(\w+)=(\S+)/g)) stage.env[name!] = value!
    else if (keyword === 'COPY') {
      const from = /^--from=(\S+)$/.exec(rest[0] ?? '')?.[1]
      const [source, target] = from ? rest.slice(1) : rest
      stage.copies.push({ from, source: source!, target: target! })
    } else if (keyword === 'RUN') stage.runs.push(args)
    else if (keyword === 'USER') stage.user = args
    else if (keyword === 'EXPOSE') stage.expose.push(...rest)
    else if (keyword === 'CMD') stage.cmd = JSON.parse(args) as string[]
    else throw new Error(`Dockerfile: ${keyword} is not read by test/support/dockerfile.ts`)
  }
  return stages
}
