/** @module model/move-task — a message move task (StartMessageMoveTask): its record and its opaque handle. */

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED'

export interface MoveTask {
  taskId: string
  status: MoveTaskStatus
  sourceArn: string
  /** Absent: each message goes back to the queue it was dead-lettered from. */
  destinationArn?: string
  /** Absent: as fast as the mover goes. */
  maxNumberOfMessagesPerSecond?: number
  moved: number
  /** The source's messages when the task started. */
  toMove: number
  startedAt: number
  failureReason?: string
}

/** SQS's handles are base64 JSON of the task id and source ARN; so are these (clients treat them as opaque). */
export function encodeTaskHandle(task: Pick<MoveTask, 'taskId' | 'sourceArn'>): string {
  return Buffer.from(JSON.stringify({ taskId: task.taskId, sourceArn: task.sourceArn })).toString('base64')
}

export function decodeTaskHandle(handle: string): { taskId: string; sourceArn: string } | null {
  try {
    const value = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as unknown
    if (typeof value !== 'object' || value === null) return null
    const { taskId, sourceArn } = value as Record<string, unknown>
    return typeof taskId === 'string' && typeof sourceArn === 'string' ? { taskId, sourceArn } : null
  } catch {
    return null
  }
}
