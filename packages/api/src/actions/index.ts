/** @module actions — the registry: the only list of SQS actions DQS answers. */
import { AddPermission } from './add-permission.js'
import { CancelMessageMoveTask } from './cancel-message-move-task.js'
import { ChangeMessageVisibility } from './change-message-visibility.js'
import { ChangeMessageVisibilityBatch } from './change-message-visibility-batch.js'
import { DeleteMessage } from './delete-message.js'
import { DeleteMessageBatch } from './delete-message-batch.js'
import { ReceiveMessage } from './receive-message.js'
import { SendMessage } from './send-message.js'
import { SendMessageBatch } from './send-message-batch.js'
import { CreateQueue } from './create-queue.js'
import { DeleteQueue } from './delete-queue.js'
import { GetQueueAttributes } from './get-queue-attributes.js'
import { GetQueueUrl } from './get-queue-url.js'
import { ListDeadLetterSourceQueues } from './list-dead-letter-source-queues.js'
import { ListMessageMoveTasks } from './list-message-move-tasks.js'
import { ListQueueTags } from './list-queue-tags.js'
import { ListQueues } from './list-queues.js'
import { PurgeQueue } from './purge-queue.js'
import { RemovePermission } from './remove-permission.js'
import { SetQueueAttributes } from './set-queue-attributes.js'
import { StartMessageMoveTask } from './start-message-move-task.js'
import { TagQueue } from './tag-queue.js'
import { UntagQueue } from './untag-queue.js'

export const actions = {
  AddPermission, CancelMessageMoveTask, ChangeMessageVisibility, ChangeMessageVisibilityBatch, CreateQueue, DeleteMessage,
  DeleteMessageBatch, DeleteQueue, GetQueueAttributes, GetQueueUrl, ListDeadLetterSourceQueues, ListMessageMoveTasks,
  ListQueueTags, ListQueues, PurgeQueue, ReceiveMessage, RemovePermission, SendMessage, SendMessageBatch,
  SetQueueAttributes, StartMessageMoveTask, TagQueue, UntagQueue,
}
