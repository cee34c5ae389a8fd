/** @module engine/fifo/group-writes — deletes and visibility changes on one group, applied together in one conditional write. */
import { ServiceUnavailable } from '../../errors.js'
import { getGroup, writeGroup } from '../../storage/fifo-store.js'
import type { EngineDeps } from '../deps.js'
import { AcknowledgeDraft } from './group-state.js'
import { fifoStore } from './store.js'

/** Re-reads when other instances change the same group between our read and our write. */
const writeAttempts = 10

type Operation<T> = (draft: AcknowledgeDraft, now: number) => T

/** One operation waiting for its group's shared read and write. */
export interface PendingGroupWrite {
  operation: Operation<unknown>
  onReceivable: () => void
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/**
 * Applies an operation to a group's state. Operations on the same group submitted in the same turn of the event
 * loop (the entries of a DeleteMessageBatch or ChangeMessageVisibilityBatch) share one read and one write instead
 * of racing each other for the group item's version. On contention the group is re-read and every operation is
 * checked again against what is there now. `onReceivable` runs once per write that lets a receive take the group
 * at once (whichever operation did it), so one waiting receive can be woken.
 */
export function changeGroup<T>(deps: EngineDeps, pk: string, operation: Operation<T>, onReceivable: () => void): Promise<T> {
  const byGroup = deps.state.groupWrites
  let pending = byGroup.get(pk)
  if (!pending) {
    const batch: PendingGroupWrite[] = (pending = [])
    byGroup.set(pk, batch)
    queueMicrotask(() => {
      byGroup.delete(pk)
      void apply(deps, pk, batch)
    })
  }
  return new Promise((resolve, reject) => pending!.push({ operation, onReceivable, resolve: resolve as PendingGroupWrite['resolve'], reject }))
}

async function apply(deps: EngineDeps, pk: string, batch: PendingGroupWrite[]) {
  const store = fifoStore(deps)
  try {
    for (let attempt = 0; attempt < writeAttempts; attempt++) {
      const group = await getGroup(store, pk)
      const now = deps.clock.now()
      const draft = new AcknowledgeDraft(group)
      const values = batch.map((pending) => pending.operation(draft, now))
      const change = draft.change(now)
      if (change && !(await writeGroup(store, group!, change))) continue
      if (change?.readyAt != null && change.readyAt <= now) batch[0]!.onReceivable()
      batch.forEach((pending, i) => pending.resolve(values[i]))
      return
    }
    throw new ServiceUnavailable('Too many concurrent changes to this message group; retry.')
  } catch (error) {
    for (const pending of batch) pending.reject(error)
  }
}
