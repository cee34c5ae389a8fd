/** @jsxImportSource hono/jsx */
/**
 * @module console/routes — the operator console (`/console`) and the Prometheus metrics (`/metrics`), mounted
 * before the SQS catch-all. Who may use them: console/access.ts. Every change the console makes is an SQS action
 * run through the app's own dispatch (same schemas, same errors, the operator's account); peeks and message
 * deletes go through the engine's peek functions, scoped to the operator's queues the same way.
 */
import { InternalFailure, InvalidAction, newRequestId, QueueDoesNotExist, sqsErrorOf, type SqsError } from '@dqs/core'
import type { Context, Hono } from 'hono'
import type { AppDeps } from '../app.js'
import { resolveQueue, type ActionContext } from '../context.js'
import { dispatch } from '../dispatch.js'
import {
  checkCredentials, endSession, fromLoopback, metricsOperator, sessionKey, sessionOperator, signInRequired, startSession, type Operator,
} from './access.js'
import { consoleCss, consoleJs } from './assets.js'
import { queueDetail, queueFigures, queueList } from './data.js'
import {
  ErrorPage, GroupMoreFragment, MoveTasks, PeekFragment, queuePath, QueueListPage, QueuePage, QueueRows, QueueSummary, SignInPage,
} from './pages.js'

/** What the console may ask of the SQS API: managing queues and messages, never consuming them. */
const consoleActions = new Set([
  'CreateQueue', 'DeleteQueue', 'PurgeQueue', 'SetQueueAttributes', 'TagQueue', 'UntagQueue', 'SendMessage',
  'StartMessageMoveTask', 'CancelMessageMoveTask', 'ListMessageMoveTasks', 'GetQueueAttributes', 'ListQueues', 'ListQueueTags',
  'ListDeadLetterSourceQueues', 'GetQueueUrl',
])

const securityHeaders: Record<string, string> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
}

function baseUrlOf(c: Context) {
  const url = new URL(c.req.url)
  const proto = c.req.header('x-forwarded-proto') ?? url.protocol.replace(':', '')
  const host = c.req.header('x-forwarded-host') ?? c.req.header('host') ?? url.host
  return `${proto}://${host}`
}

function errorBody(error: unknown): { status: number; body: { error: { code: string; message: string } } } {
  const known: SqsError = sqsErrorOf(error) ?? (console.error('dqs console: internal error', error), new InternalFailure())
  return { status: known.status, body: { error: { code: known.shape, message: known.message } } }
}

export function mountOperatorRoutes(app: Hono, deps: AppDeps) {
  const auth = deps.auth
  const key = sessionKey(deps.engine.deps.config.receiptKey, auth)
  const needsSignIn = signInRequired(auth)

  /** The operator of this request, or the answer that turns it away. */
  async function operatorOf(c: Context, kind: 'page' | 'data'): Promise<Operator | Response> {
    if (needsSignIn) {
      const operator = await sessionOperator(c, key, auth, deps.clock.now())
      if (operator) return operator
      return kind === 'page' ? c.redirect('/console/sign-in', 303) : c.json({ error: { code: 'NotSignedIn', message: 'Sign in to the console first.' } }, 401)
    }
    if (fromLoopback(c)) return { accountId: auth.defaultAccountId }
    const message = 'The DQS console answers only on the loopback interface (127.0.0.1, ::1) while no credentials are configured (DQS_CREDENTIALS).'
    return kind === 'page' ? c.html(<ErrorPage title="Not available" message={message} />, 403) : c.json({ error: { code: 'AccessDenied', message } }, 403)
  }

  const contextOf = (c: Context, operator: Operator): ActionContext => ({
    accountId: operator.accountId, region: deps.region, baseUrl: baseUrlOf(c), requestId: newRequestId(), engine: deps.engine,
  })

  // ---- metrics ----
  app.get('/metrics', async (c) => {
    if (!deps.metrics) return c.text('Metrics are not enabled on this server.\n', 404)
    let operator: Operator | null
    if (needsSignIn) {
      operator = metricsOperator(c, auth)
      if (!operator) return c.text('Credentials required: HTTP Basic or Bearer <accessKeyId>:<secret> of DQS_CREDENTIALS.\n', 401, { 'www-authenticate': 'Basic realm="DQS metrics", charset="UTF-8"' })
    } else if (fromLoopback(c)) {
      operator = { accountId: auth.defaultAccountId }
    } else {
      return c.text('Metrics answer only on the loopback interface while no credentials are configured (DQS_CREDENTIALS).\n', 403)
    }
    const { contentType, body } = await deps.metrics.scrape(operator.accountId, deps.engine, { prefix: c.req.query('prefix') || undefined })
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' })
  })

  // ---- console ----
  app.use('/console/*', async (c, next) => {
    await next()
    for (const [name, value] of Object.entries(securityHeaders)) {
      if (name === 'cache-control' && c.req.path.startsWith('/console/assets/')) continue
      c.res.headers.set(name, value)
    }
  })
  app.use('/console', async (c, next) => {
    await next()
    for (const [name, value] of Object.entries(securityHeaders)) c.res.headers.set(name, value)
  })

  app.get('/console/assets/console.css', (c) => c.body(consoleCss, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300' }))
  app.get('/console/assets/console.js', (c) => c.body(consoleJs, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }))

  app.get('/console/sign-in', (c) => (needsSignIn ? c.html(<SignInPage />) : c.redirect('/console', 303)))
  app.post('/console/sign-in', async (c) => {
    if (!needsSignIn) return c.redirect('/console', 303)
    const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>))
    const operator = checkCredentials(auth, String(form.accessKeyId ?? ''), String(form.secretAccessKey ?? ''))
    if (!operator) {
      // each wrong guess costs the guesser half a second
      await new Promise((resolve) => setTimeout(resolve, 500))
      return c.html(<SignInPage error="That access key and secret do not match any configured credentials." />, 401)
    }
    await startSession(c, key, auth, operator, deps.clock.now())
    return c.redirect('/console', 303)
  })
  app.post('/console/sign-out', (c) => {
    endSession(c)
    return c.redirect(needsSignIn ? '/console/sign-in' : '/console', 303)
  })

  /** A page or fragment for an operator: errors become an error page (or status) instead of a stack. */
  const page = (kind: 'page' | 'data', render: (c: Context, operator: Operator) => Promise<Response>) => async (c: Context) => {
    const operator = await operatorOf(c, kind)
    if (operator instanceof Response) return operator
    try {
      return await render(c, operator)
    } catch (error) {
      const { status, body } = errorBody(error)
      if (kind === 'data') return c.json(body, status as 400)
      const title = error instanceof QueueDoesNotExist ? 'No such queue' : 'Something went wrong'
      return c.html(<ErrorPage title={title} message={body.error.message} accountId={operator.accountId} signedIn={needsSignIn} />, status as 400)
    }
  }

  const listOptions = (c: Context) => ({ prefix: c.req.query('prefix') ?? '', token: c.req.query('token') || undefined })

  app.get('/console', page('page', async (c, operator) => {
    const options = listOptions(c)
    const { rows, nextToken } = await queueList(contextOf(c, operator), options)
    return c.html(<QueueListPage accountId={operator.accountId} signedIn={needsSignIn} prefix={options.prefix} token={options.token} rows={rows} nextToken={nextToken} />)
  }))
  app.get('/console/fragments/queues', page('data', async (c, operator) => {
    const { rows } = await queueList(contextOf(c, operator), listOptions(c))
    return c.html(<QueueRows rows={rows} />)
  }))

  app.get('/console/queues/:name', page('page', async (c, operator) => {
    const detail = await queueDetail(contextOf(c, operator), c.req.param('name') ?? '')
    return c.html(<QueuePage accountId={operator.accountId} signedIn={needsSignIn} detail={detail} />)
  }))
  app.get('/console/queues/:name/fragments/summary', page('data', async (c, operator) => {
    const queue = await resolveQueue(contextOf(c, operator), c.req.param('name') ?? '')
    return c.html(<QueueSummary detail={{ figures: await queueFigures(deps.engine, queue) }} />)
  }))
  app.get('/console/queues/:name/fragments/tasks', page('data', async (c, operator) => {
    const ctx = contextOf(c, operator)
    const queue = await resolveQueue(ctx, c.req.param('name') ?? '')
    const arn = (await deps.engine.getQueueAttributes(queue, ['QueueArn'])).QueueArn!
    return c.html(<MoveTasks tasks={await deps.engine.listMessageMoveTasks(operator.accountId, arn, 10)} queueName={queue.name} />)
  }))
  app.get('/console/queues/:name/fragments/messages', page('data', async (c, operator) => {
    const queue = await resolveQueue(contextOf(c, operator), c.req.param('name') ?? '')
    const order = c.req.query('order') === 'newest' ? 'newest' : 'oldest'
    const limit = Number(c.req.query('limit') ?? 20)
    const result = await deps.engine.peekMessages(queue, { order, limit, cursor: c.req.query('cursor') || undefined })
    return c.html(<PeekFragment page={result} queueName={queue.name} path={queuePath(queue.name)} newestFirst={order === 'newest'} />)
  }))
  app.get('/console/queues/:name/fragments/group', page('data', async (c, operator) => {
    const queue = await resolveQueue(contextOf(c, operator), c.req.param('name') ?? '')
    const result = await deps.engine.peekGroup(queue, c.req.query('more') ?? '', 10)
    return c.html(<GroupMoreFragment messages={result.messages} more={result.more} queueName={queue.name} path={queuePath(queue.name)} />)
  }))

  /** Console API calls change things: only the console's own script sends them (a custom header needs CORS, which DQS never grants). */
  const consoleCall = (run: (c: Context, ctx: ActionContext, input: Record<string, unknown>) => Promise<Record<string, unknown>>) =>
    page('data', async (c, operator) => {
      if (c.req.header('x-dqs-console') !== '1') return c.json({ error: { code: 'AccessDenied', message: 'Console API calls come from the console.' } }, 403)
      const input = await c.req.json().catch(() => null) as Record<string, unknown> | null
      if (!input || typeof input !== 'object' || Array.isArray(input)) return c.json({ error: { code: 'MalformedInput', message: 'The body must be a JSON object.' } }, 400)
      return c.json(await run(c, contextOf(c, operator), input))
    })

  app.post('/console/api/sqs/:action', consoleCall(async (c, ctx, input) => {
    const action = c.req.param('action') ?? ''
    if (!consoleActions.has(action)) throw new InvalidAction(action)
    return dispatch(action, input, ctx)
  }))
  app.post('/console/api/delete-message', consoleCall(async (_c, ctx, input) => {
    const queue = await resolveQueue(ctx, String(input.QueueUrl ?? ''))
    await ctx.engine.deletePeekedMessage(queue, String(input.Ref ?? ''))
    return {}
  }))
}
