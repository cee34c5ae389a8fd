/** @module bench/support/cpu — CPU time of processes (Linux /proc), so a busy shared machine can still say where a message's CPU goes. */
import { readFileSync } from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat times: 100 on every Linux this runs on. */
const ticksPerSecond = 100

/** User + system CPU seconds a process has used so far (0 when it cannot be read). */
export function cpuSeconds(pid: number): number {
  try {
    // fields after the parenthesised command name: state is field 3, utime 14, stime 15
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
  } catch {
    return 0
  }
}

/** This process's CPU seconds (the bench's own clients). */
export const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}
