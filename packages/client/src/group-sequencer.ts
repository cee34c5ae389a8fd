/** @module group-sequencer — runs tasks one after another per FIFO message group, and different groups side by side. */

/**
 * Orders tasks by message group: a task starts once every earlier task sharing one of its groups has finished.
 * A task with no groups (standard queues) starts at once. Tasks must not reject; the consumer catches for them.
 */
export class GroupSequencer {
  private readonly tails = new Map<string, Promise<void>>()

  run(groups: readonly string[], task: () => Promise<void>): Promise<void> {
    const before = groups.flatMap((group) => this.tails.get(group) ?? [])
    const done = (before.length === 0 ? task() : Promise.all(before).then(task))
    for (const group of groups) {
      this.tails.set(group, done)
      // forget a group once its last task is done, so the map holds only groups with work
      void done.then(() => {
        if (this.tails.get(group) === done) this.tails.delete(group)
      })
    }
    return done
  }
}
