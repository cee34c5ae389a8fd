/** @module actions/add-permission — AddPermission: an Allow statement in the queue's Policy attribute. */
import { InvalidParameterValue } from '@dqs/core'
import * as z from 'zod'
import { resolveQueue } from '../context.js'
import { defineAction } from './define.js'
import { queueUrl, stringList } from './shared/schemas.js'

const grantable = new Set([
  '*', 'SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes',
  'GetQueueUrl', 'ListDeadLetterSourceQueues', 'PurgeQueue', 'ListQueueTags',
])

export const AddPermission = defineAction({
  input: z.object({ QueueUrl: queueUrl, Label: z.string(), AWSAccountIds: stringList, Actions: stringList }),
  async run({ QueueUrl, Label, AWSAccountIds, Actions }, ctx) {
    if (AWSAccountIds.length === 0) throw new InvalidParameterValue('Value [] for parameter AWSAccountIds is invalid. Reason: must contain at least one account id.')
    if (Actions.length === 0) throw new InvalidParameterValue('Value [] for parameter Actions is invalid. Reason: must contain at least one action.')
    for (const account of AWSAccountIds) {
      if (!/^\d{12}$/.test(account)) throw new InvalidParameterValue(`Value ${account} for parameter PrincipalId is invalid. Reason: Unable to verify.`)
    }
    for (const action of Actions) {
      if (!grantable.has(action)) throw new InvalidParameterValue(`Value SQS:${action} for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions.`)
    }
    const queue = await resolveQueue(ctx, QueueUrl)
    await ctx.engine.addPermission(queue, { label: Label, accountIds: AWSAccountIds, actions: Actions })
    return {}
  },
})
