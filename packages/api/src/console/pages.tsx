/** @jsxImportSource hono/jsx */
/**
 * @module console/pages — the console's pages and the fragments its script swaps in, rendered on the server with
 * Hono's JSX (text is escaped by it). Plain forms, labels on every field, tables with headers: usable by keyboard
 * and screen readers; the script (console/assets.ts) adds live refresh and sends the forms as console API calls.
 */
import type { PeekedGroup, PeekedMessage, PeekPage } from '@dqs/core'
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { QueueDetail, QueueRow } from './data.js'

const base = '/console'
export const queuePath = (name: string) => `${base}/queues/${encodeURIComponent(name)}`

export function Layout(props: { title: string; accountId?: string; signedIn?: boolean; children: Child }) {
  return (
    <>
    {raw('<!DOCTYPE html>')}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · DQS console</title>
        <link rel="stylesheet" href={`${base}/assets/console.css`} />
        <script type="module" src={`${base}/assets/console.js`}></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <a class="brand" href={base}>DQS console</a>
          {props.accountId && <span class="account">Account {props.accountId}</span>}
          {props.signedIn && (
            <form method="post" action={`${base}/sign-out`} class="inline">
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main id="main">
          <div id="status" role="status" aria-live="polite"></div>
          {props.children}
        </main>
      </body>
    </html>
    </>
  )
}

export function SignInPage(props: { error?: string }) {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      <p>This server requires credentials: sign in with an access key and secret from <code>DQS_CREDENTIALS</code>.</p>
      {props.error && <p class="error" role="alert">{props.error}</p>}
      <form method="post" action={`${base}/sign-in`} class="stack">
        <label for="accessKeyId">Access key ID</label>
        <input id="accessKeyId" name="accessKeyId" autocomplete="username" required />
        <label for="secretAccessKey">Secret access key</label>
        <input id="secretAccessKey" name="secretAccessKey" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  )
}

export function formatAge(seconds: number | null) {
  if (seconds === null) return '—'
  if (seconds < 60) return `${seconds} s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`
  return `${Math.floor(seconds / 86_400)} d ${Math.floor((seconds % 86_400) / 3600)} h`
}

const time = (ms: number) => <time datetime={new Date(ms).toISOString()}>{new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time>

function QueueLink(props: { name: string }) {
  return <a href={queuePath(props.name)}>{props.name}</a>
}

export function QueueRows(props: { rows: QueueRow[] }) {
  if (!props.rows.length) return <tr><td colspan={8}>No queues.</td></tr>
  return (
    <>
      {props.rows.map((row) => (
        <tr data-queue={row.queue.name}>
          <th scope="row"><QueueLink name={row.queue.name} /></th>
          <td>{row.queue.fifo ? 'FIFO' : 'Standard'}</td>
          <td class="num" data-count="visible">{row.visible}</td>
          <td class="num" data-count="in-flight">{row.inFlight}</td>
          <td class="num" data-count="delayed">{row.delayed}</td>
          <td class="num">{formatAge(row.oldestAge)}</td>
          <td>{row.deadLetterQueue ? <QueueLink name={row.deadLetterQueue} /> : '—'}</td>
          <td>{row.sources.length ? row.sources.map((s, i) => <>{i > 0 && ', '}<QueueLink name={s} /></>) : '—'}</td>
        </tr>
      ))}
    </>
  )
}

export function QueueListPage(props: { accountId: string; signedIn: boolean; prefix: string; token?: string; rows: QueueRow[]; nextToken?: string }) {
  const query = new URLSearchParams({ prefix: props.prefix, ...(props.token ? { token: props.token } : {}) }).toString()
  return (
    <Layout title="Queues" accountId={props.accountId} signedIn={props.signedIn}>
      <h1>Queues</h1>
      <form method="get" action={base} class="row" role="search">
        <label for="prefix">Queue name prefix</label>
        <input id="prefix" name="prefix" value={props.prefix} />
        <button type="submit">Filter</button>
      </form>
      <table class="queues">
        <caption>Queues of account {props.accountId}, updated every few seconds</caption>
        <thead>
          <tr>
            <th scope="col">Name</th><th scope="col">Type</th><th scope="col">Visible</th><th scope="col">In flight</th>
            <th scope="col">Delayed</th><th scope="col">Oldest message</th><th scope="col">Dead-letter queue</th><th scope="col">Redrive sources</th>
          </tr>
        </thead>
        <tbody id="queue-rows" data-refresh={`${base}/fragments/queues?${query}`}>
          <QueueRows rows={props.rows} />
        </tbody>
      </table>
      {props.nextToken && <p><a href={`${base}?${new URLSearchParams({ prefix: props.prefix, token: props.nextToken })}`}>Next page of queues</a></p>}
      <section aria-labelledby="create-heading">
        <h2 id="create-heading">Create a queue</h2>
        <form data-action="CreateQueue" data-after="open-queue" class="stack">
          <label for="new-name">Queue name</label>
          <input id="new-name" name="QueueName" required pattern="[A-Za-z0-9_\-]{1,80}(\.fifo)?" aria-describedby="new-name-help" />
          <small id="new-name-help">Letters, digits, hyphens and underscores; a FIFO queue's name ends in .fifo.</small>
          <label class="check"><input type="checkbox" name="Attributes.FifoQueue" value="true" /> FIFO queue</label>
          <label class="check"><input type="checkbox" name="Attributes.ContentBasedDeduplication" value="true" /> Content-based deduplication (FIFO)</label>
          <button type="submit">Create queue</button>
        </form>
      </section>
    </Layout>
  )
}

/** Attributes SetQueueAttributes may change, per queue type. */
const editable = ['DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'VisibilityTimeout',
  'RedrivePolicy', 'RedriveAllowPolicy', 'Policy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled']
const editableFifo = ['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']
const counts = new Set(['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'])

export function QueueSummary(props: { detail: Pick<QueueDetail, 'figures'> }) {
  const f = props.detail.figures
  return (
    <dl class="figures">
      <div><dt>Visible</dt><dd data-count="visible">{f.visible}</dd></div>
      <div><dt>In flight</dt><dd data-count="in-flight">{f.inFlight}</dd></div>
      <div><dt>Delayed</dt><dd data-count="delayed">{f.delayed}</dd></div>
      <div><dt>Oldest message</dt><dd>{formatAge(f.oldestAge)}</dd></div>
    </dl>
  )
}

export function MoveTasks(props: { tasks: QueueDetail['tasks']; queueName: string }) {
  if (!props.tasks.length) return <p>No redrive has been started from this queue.</p>
  return (
    <table>
      <caption>Redrives (message move tasks), newest first</caption>
      <thead><tr><th scope="col">Started</th><th scope="col">Status</th><th scope="col">Moved</th><th scope="col">Destination</th><th scope="col">Action</th></tr></thead>
      <tbody>
        {props.tasks.map((task) => (
          <tr data-task-status={task.status}>
            <td>{time(task.startedAt)}</td>
            <td>{task.status}{task.failureReason ? ` (${task.failureReason})` : ''}</td>
            <td class="num">{task.moved} of {task.toMove}</td>
            <td>{task.destinationArn ?? 'the source queues'}</td>
            <td>
              {task.taskHandle && (
                <form data-action="CancelMessageMoveTask" data-after="refresh" class="inline">
                  <input type="hidden" name="TaskHandle" value={task.taskHandle} />
                  <button type="submit">Cancel redrive</button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function QueuePage(props: { accountId: string; signedIn: boolean; detail: QueueDetail }) {
  const { queue, attributes, sources, tasks, arn, deadLetterQueue, others } = props.detail
  const names = [...editable, ...(queue.fifo ? editableFifo : [])]
  const readOnly = Object.keys(attributes).filter((n) => !names.includes(n) && !counts.has(n))
  const path = queuePath(queue.name)
  return (
    <Layout title={queue.name} accountId={props.accountId} signedIn={props.signedIn}>
      <p><a href={base}>← All queues</a></p>
      <h1>{queue.name} <small>{queue.fifo ? 'FIFO queue' : 'Standard queue'}</small></h1>
      <p class="arn">{arn}</p>
      {deadLetterQueue && <p>Dead-letter queue: <QueueLink name={deadLetterQueue} /></p>}
      {sources.length > 0 && <p>Dead-letter queue of: {sources.map((s, i) => <>{i > 0 && ', '}<QueueLink name={s} /></>)}</p>}
      <section aria-labelledby="counts-heading">
        <h2 id="counts-heading">Messages</h2>
        <div id="summary" data-refresh={`${path}/fragments/summary`}><QueueSummary detail={props.detail} /></div>
      </section>

      <section aria-labelledby="peek-heading">
        <h2 id="peek-heading">Peek at messages</h2>
        <p>A peek reads a page of messages without receiving them: their visibility and receive counts do not change.</p>
        <form id="peek-form" data-peek={`${path}/fragments/messages`} class="row">
          <label for="peek-order">Order</label>
          <select id="peek-order" name="order">
            <option value="oldest">Oldest first</option>
            <option value="newest">Newest first</option>
          </select>
          <label for="peek-limit">{queue.fifo ? 'Groups per page' : 'Messages per page'}</label>
          <input id="peek-limit" name="limit" type="number" min="1" max="100" value="20" />
          <button type="submit">Peek</button>
        </form>
        <div id="peek-results" aria-live="polite"></div>
      </section>

      <section aria-labelledby="send-heading">
        <h2 id="send-heading">Send a message</h2>
        <form data-action="SendMessage" data-after="refresh" class="stack" data-kind="send">
          <input type="hidden" name="QueueUrl" value={queue.name} />
          <label for="send-body">Body</label>
          <textarea id="send-body" name="MessageBody" rows={4} required></textarea>
          {queue.fifo ? (
            <>
              <label for="send-group">Message group ID</label>
              <input id="send-group" name="MessageGroupId" required />
              <label for="send-dedup">Deduplication ID{attributes.ContentBasedDeduplication === 'true' ? ' (optional: content-based deduplication is on)' : ''}</label>
              <input id="send-dedup" name="MessageDeduplicationId" required={attributes.ContentBasedDeduplication !== 'true'} />
            </>
          ) : (
            <>
              <label for="send-delay">Delay (seconds)</label>
              <input id="send-delay" name="DelaySeconds" type="number" min="0" max="900" data-type="number" />
            </>
          )}
          <fieldset>
            <legend>Message attributes</legend>
            <div class="attribute-rows">
              <div class="row attribute-row">
                <label>Name <input name="attr-name" /></label>
                <label>Type
                  <select name="attr-type"><option>String</option><option>Number</option><option>Binary</option></select>
                </label>
                <label>Value <input name="attr-value" /></label>
              </div>
            </div>
            <button type="button" data-add-attribute>Add another attribute</button>
          </fieldset>
          <button type="submit">Send message</button>
        </form>
      </section>

      {sources.length > 0 && !queue.fifo && (
        <section aria-labelledby="redrive-heading">
          <h2 id="redrive-heading">Redrive</h2>
          <p>Moves this dead-letter queue's messages back to the queues they came from, or to a queue you choose.</p>
          <form data-action="StartMessageMoveTask" data-after="refresh" class="stack">
            <input type="hidden" name="SourceArn" value={arn} />
            <label for="redrive-destination">Destination</label>
            <select id="redrive-destination" name="DestinationArn">
              <option value="">Back to the source queues</option>
              {others.map((name) => <option value={arn.replace(/[^:]+$/, name)}>{name}</option>)}
            </select>
            <label for="redrive-rate">Messages per second (optional)</label>
            <input id="redrive-rate" name="MaxNumberOfMessagesPerSecond" type="number" min="1" max="500" data-type="number" />
            <button type="submit">Start redrive</button>
          </form>
          <div id="move-tasks" data-refresh={`${path}/fragments/tasks`}><MoveTasks tasks={tasks} queueName={queue.name} /></div>
        </section>
      )}

      <section aria-labelledby="attributes-heading">
        <h2 id="attributes-heading">Attributes</h2>
        <form data-action="SetQueueAttributes" data-after="reload" data-changed-only class="grid">
          <input type="hidden" name="QueueUrl" value={queue.name} />
          {names.map((name) => (
            <>
              <label for={`attr-${name}`}>{name}</label>
              {/Policy$/.test(name)
                ? <textarea id={`attr-${name}`} name={`Attributes.${name}`} rows={2}>{attributes[name] ?? ''}</textarea>
                : <input id={`attr-${name}`} name={`Attributes.${name}`} value={attributes[name] ?? ''} />}
            </>
          ))}
          <button type="submit">Save attributes</button>
        </form>
        <table>
          <caption>Attributes that cannot be changed</caption>
          <tbody>{readOnly.map((name) => <tr><th scope="row">{name}</th><td>{attributes[name]}</td></tr>)}</tbody>
        </table>
      </section>

      <section aria-labelledby="tags-heading">
        <h2 id="tags-heading">Tags</h2>
        <table>
          <caption>Tags of this queue</caption>
          <thead><tr><th scope="col">Key</th><th scope="col">Value</th><th scope="col">Action</th></tr></thead>
          <tbody>
            {Object.entries(queue.tags).map(([key, value]) => (
              <tr>
                <th scope="row">{key}</th><td>{value}</td>
                <td>
                  <form data-action="UntagQueue" data-after="reload" class="inline">
                    <input type="hidden" name="QueueUrl" value={queue.name} />
                    <input type="hidden" name="TagKeys[]" value={key} />
                    <button type="submit" aria-label={`Remove tag ${key}`}>Remove</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form data-action="TagQueue" data-after="reload" class="row" data-kind="tag">
          <input type="hidden" name="QueueUrl" value={queue.name} />
          <label for="tag-key">Key</label><input id="tag-key" name="tag-key" required />
          <label for="tag-value">Value</label><input id="tag-value" name="tag-value" />
          <button type="submit">Add tag</button>
        </form>
      </section>

      <section aria-labelledby="danger-heading">
        <h2 id="danger-heading">Purge or delete</h2>
        <form data-action="PurgeQueue" data-after="refresh" data-confirm={`Delete every message in ${queue.name}?`} class="inline">
          <input type="hidden" name="QueueUrl" value={queue.name} />
          <button type="submit">Purge queue</button>
        </form>
        <form data-action="DeleteQueue" data-after="home" data-confirm={`Delete the queue ${queue.name} and its messages?`} class="inline">
          <input type="hidden" name="QueueUrl" value={queue.name} />
          <button type="submit">Delete queue</button>
        </form>
      </section>
    </Layout>
  )
}

/** A JSON body, indented; any other body as sent. */
export function prettyBody(body: string) {
  const trimmed = body.trim()
  if (!/^[[{]/.test(trimmed)) return body
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2)
  } catch {
    return body
  }
}

/** Bodies longer than this are shown cut (the size says how much more there is). */
const shownBodyChars = 64 * 1024

function stateText(message: PeekedMessage) {
  const until = message.until ? ` until ${new Date(message.until).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : ''
  return { visible: 'Visible', 'in-flight': `In flight${until}`, delayed: `Delayed${until}`, expired: 'Past retention (not yet removed)' }[message.state]
}

export function MessageView(props: { message: PeekedMessage; queueName: string }) {
  const m = props.message
  const body = prettyBody(m.body)
  const attributes = Object.entries(m.messageAttributes)
  return (
    <article class="message" data-message-id={m.messageId} data-state={m.state}>
      <h4>Message {m.messageId}</h4>
      <p class="meta">
        <span class={`state ${m.state}`}>{stateText(m)}</span> · received {m.receiveCount} {m.receiveCount === 1 ? 'time' : 'times'} · sent {time(m.sentAt)}
        {m.sequenceNumber && <> · sequence {m.sequenceNumber}</>}
      </p>
      <pre class="body" tabindex={0} aria-label="Message body">{body.length > shownBodyChars ? `${body.slice(0, shownBodyChars)}\n… (${body.length} characters in all)` : body}</pre>
      {attributes.length > 0 && (
        <table>
          <caption>Message attributes</caption>
          <tbody>{attributes.map(([name, value]) => (
            <tr><th scope="row">{name}</th><td>{value.DataType}</td><td>{value.StringValue ?? (value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : '')}</td></tr>
          ))}</tbody>
        </table>
      )}
      <details>
        <summary>System attributes</summary>
        <table><tbody>{Object.entries(m.attributes).map(([name, value]) => <tr><th scope="row">{name}</th><td>{value}</td></tr>)}</tbody></table>
      </details>
      <button type="button" data-delete-message={m.ref} data-queue={props.queueName}>Delete message</button>
    </article>
  )
}

function GroupView(props: { group: PeekedGroup; queueName: string; path: string; fromBack: boolean }) {
  const g = props.group
  const until = g.until ? ` until ${new Date(g.until).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : ''
  const lock = { receivable: 'Receivable', locked: `Locked: its first message is in flight${until}`, delayed: `Its first message is delayed${until}` }[g.lock]
  return (
    <section class="group" data-group={g.groupId}>
      <h3>Group {g.groupId}</h3>
      <p class="meta">Position {g.position} {props.fromBack ? 'from the back of' : 'in'} the receive order · {g.messages} {g.messages === 1 ? 'message' : 'messages'} · {lock}</p>
      <div class="group-messages">{g.head.map((m) => <MessageView message={m} queueName={props.queueName} />)}</div>
      {g.more && <button type="button" data-more-group={`${props.path}/fragments/group?more=${encodeURIComponent(g.more)}`}>More messages of group {g.groupId}</button>}
    </section>
  )
}

/** One page of a peek; `data-cursor` on the wrapper lets the script ask for the next. */
export function PeekFragment(props: { page: PeekPage; queueName: string; path: string; newestFirst: boolean }) {
  const { page } = props
  const empty = page.fifo ? page.groups.length === 0 : page.messages.length === 0
  return (
    <div class="peek-page" data-cursor={page.cursor ?? ''}>
      {empty && <p>No {page.fifo ? 'message groups' : 'messages'}{page.cursor ? ' on this page' : ''}.</p>}
      {page.fifo
        ? page.groups.map((g) => <GroupView group={g} queueName={props.queueName} path={props.path} fromBack={props.newestFirst} />)
        : page.messages.map((m) => <MessageView message={m} queueName={props.queueName} />)}
    </div>
  )
}

export function GroupMoreFragment(props: { messages: PeekedMessage[]; more?: string; queueName: string; path: string }) {
  return (
    <div class="group-more">
      {props.messages.map((m) => <MessageView message={m} queueName={props.queueName} />)}
      {props.more && <button type="button" data-more-group={`${props.path}/fragments/group?more=${encodeURIComponent(props.more)}`}>More messages</button>}
    </div>
  )
}

export function ErrorPage(props: { title: string; message: string; accountId?: string; signedIn?: boolean }) {
  return (
    <Layout title={props.title} accountId={props.accountId} signedIn={props.signedIn}>
      <h1>{props.title}</h1>
      <p role="alert">{props.message}</p>
      <p><a href={base}>All queues</a></p>
    </Layout>
  )
}
