/**
 * @module console/assets — the console's stylesheet and its one script, served by the app itself (no CDN: the
 * console works offline, and the Content-Security-Policy allows nothing but the console's own origin).
 *
 * The script only enhances server-rendered pages: it refreshes the parts marked `data-refresh` every few seconds
 * (not while focus is inside them), sends `data-action` forms to the console API (`/console/api/sqs/<Action>`,
 * validated and answered as the SQS action), loads peek pages and deletes peeked messages.
 */

export const consoleCss = `
:root { color-scheme: light dark; --accent: #1f6feb; --muted: #6b7280; --bad: #b91c1c; --ok: #15803d; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; }
header { display: flex; gap: 1rem; align-items: center; padding: .6rem 1.2rem; border-bottom: 1px solid #8884; }
header .brand { font-weight: 700; text-decoration: none; }
header .account { color: var(--muted); margin-right: auto; }
main { padding: 1rem 1.2rem 3rem; max-width: 80rem; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: .5rem; background: Canvas; padding: .3rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
table { border-collapse: collapse; margin: .6rem 0 1rem; }
caption { text-align: left; color: var(--muted); padding-bottom: .3rem; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #8883; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .5rem 0; }
.stack { display: grid; gap: .35rem; max-width: 36rem; margin: .5rem 0 1rem; }
.stack > button { justify-self: start; }
.grid { display: grid; grid-template-columns: max-content minmax(12rem, 36rem); gap: .35rem .8rem; align-items: center; }
.grid button { grid-column: 2; justify-self: start; }
.inline { display: inline; margin-right: .5rem; }
.check { display: flex; gap: .4rem; align-items: center; }
input, select, textarea, button { font: inherit; padding: .25rem .4rem; }
button { cursor: pointer; }
small, .meta, .arn { color: var(--muted); }
.figures { display: flex; gap: 2rem; }
.figures dt { color: var(--muted); }
.figures dd { margin: 0; font-size: 1.5rem; font-variant-numeric: tabular-nums; }
.message { border: 1px solid #8884; border-radius: 6px; padding: .6rem .8rem; margin: .6rem 0; }
.message h4 { margin: 0; font-size: .95rem; }
.body { background: #8881; padding: .5rem; overflow: auto; max-height: 20rem; white-space: pre-wrap; word-break: break-word; }
.state.visible { color: var(--ok); } .state.in-flight, .state.delayed { color: var(--accent); } .state.expired { color: var(--bad); }
.group { border-left: 3px solid var(--accent); padding-left: .8rem; margin: 1rem 0; }
#status:not(:empty) { padding: .5rem .8rem; border-radius: 6px; background: #15803d22; margin-bottom: 1rem; }
#status.error { background: #b91c1c22; }
.error { color: var(--bad); }
`

export const consoleJs = `
const api = (path, body) => fetch(path, {
  method: 'POST', credentials: 'same-origin',
  headers: { 'content-type': 'application/json', 'x-dqs-console': '1' }, body: JSON.stringify(body),
}).then(async (response) => {
  const answer = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(answer.error ? answer.error.code + ': ' + answer.error.message : 'HTTP ' + response.status)
  return answer
})

const status = (text, failed) => {
  const region = document.getElementById('status')
  if (!region) return
  region.textContent = text
  region.classList.toggle('error', Boolean(failed))
}

const fragment = async (url) => {
  const response = await fetch(url, { credentials: 'same-origin', headers: { 'x-dqs-console': '1' } })
  if (response.status === 401) { location.reload(); throw new Error('signed out') }
  if (!response.ok) throw new Error('HTTP ' + response.status)
  return response.text()
}

const refresh = async (element) => {
  if (element.contains(document.activeElement)) return
  try {
    element.innerHTML = await fragment(element.dataset.refresh)
    element.dataset.refreshed = String(Date.now())
  } catch { /* the next turn tries again */ }
}
const refreshAll = () => Promise.all([...document.querySelectorAll('[data-refresh]')].map(refresh))
setInterval(() => { if (document.visibilityState === 'visible') refreshAll() }, 3000)

/** A form's fields as an SQS input: "A.B" nests, "K[]" collects, checkboxes give "true", empty fields are left out. */
const inputOf = (form) => {
  const input = {}
  const set = (path, value) => {
    const keys = path.split('.')
    let at = input
    for (const key of keys.slice(0, -1)) at = at[key] = at[key] || {}
    at[keys.at(-1)] = value
  }
  for (const field of form.elements) {
    if (!field.name || field.disabled || field.name.startsWith('attr-') || field.name.startsWith('tag-')) continue
    if (field.type === 'checkbox') { if (field.checked) set(field.name, field.value || 'true'); continue }
    if (form.hasAttribute('data-changed-only') && field.type !== 'hidden' && field.value === field.defaultValue) continue
    if (field.value === '' && !form.hasAttribute('data-changed-only')) continue
    const value = field.dataset.type === 'number' ? Number(field.value) : field.value
    if (field.name.endsWith('[]')) { const key = field.name.slice(0, -2); (input[key] = input[key] || []).push(value) } else set(field.name, value)
  }
  if (form.dataset.kind === 'send') {
    const attributes = {}
    for (const row of form.querySelectorAll('.attribute-row')) {
      const name = row.querySelector('[name=attr-name]').value.trim()
      if (!name) continue
      const type = row.querySelector('[name=attr-type]').value
      const value = row.querySelector('[name=attr-value]').value
      attributes[name] = type === 'Binary' ? { DataType: type, BinaryValue: value } : { DataType: type, StringValue: value }
    }
    if (Object.keys(attributes).length) input.MessageAttributes = attributes
  }
  if (form.dataset.kind === 'tag') input.Tags = { [form.querySelector('[name=tag-key]').value]: form.querySelector('[name=tag-value]').value }
  return input
}

document.addEventListener('submit', async (event) => {
  const form = event.target
  if (form.dataset.peek !== undefined) { event.preventDefault(); return peek(form, false) }
  const action = form.dataset.action
  if (!action) return
  event.preventDefault()
  if (form.dataset.confirm && !confirm(form.dataset.confirm)) return
  const button = form.querySelector('[type=submit]')
  if (button) button.disabled = true
  try {
    const input = inputOf(form)
    const output = await api('/console/api/sqs/' + action, input)
    const after = form.dataset.after
    if (after === 'open-queue') { location.href = '/console/queues/' + encodeURIComponent(input.QueueName); return }
    if (after === 'home') { location.href = '/console'; return }
    if (after === 'reload') { location.reload(); return }
    status(action + ' succeeded' + (output.MessageId ? ': message ' + output.MessageId : '') + '.')
    if (action === 'SendMessage') { form.querySelector('[name=MessageBody]').value = '' }
    void refreshAll()
  } catch (error) {
    status(error.message, true)
  } finally {
    if (button) button.disabled = false
  }
})

const peek = async (form, more) => {
  const results = document.getElementById('peek-results')
  const params = new URLSearchParams({ order: form.order.value, limit: form.limit.value })
  if (more) params.set('cursor', more)
  try {
    const html = await fragment(form.dataset.peek + '?' + params)
    if (!more) results.innerHTML = ''
    results.querySelector('[data-next-page]')?.remove()
    results.insertAdjacentHTML('beforeend', html)
    const pages = results.querySelectorAll('.peek-page')
    const cursor = pages[pages.length - 1].dataset.cursor
    if (cursor) {
      const next = document.createElement('button')
      next.type = 'button'
      next.textContent = 'Next page'
      next.dataset.nextPage = cursor
      results.append(next)
    }
    const shown = results.querySelectorAll('.message').length
    status(shown === 1 ? 'Showing 1 message.' : 'Showing ' + shown + ' messages.')
  } catch (error) {
    status(error.message, true)
  }
}

document.addEventListener('click', async (event) => {
  const target = event.target.closest('button')
  if (!target) return
  if (target.dataset.nextPage) return peek(document.getElementById('peek-form'), target.dataset.nextPage)
  if (target.hasAttribute('data-add-attribute')) {
    const rows = target.parentElement.querySelector('.attribute-rows')
    const row = rows.querySelector('.attribute-row').cloneNode(true)
    for (const field of row.querySelectorAll('input')) field.value = ''
    rows.append(row)
    row.querySelector('input').focus()
    return
  }
  if (target.dataset.moreGroup) {
    try {
      target.insertAdjacentHTML('beforebegin', await fragment(target.dataset.moreGroup))
      target.remove()
    } catch (error) { status(error.message, true) }
    return
  }
  if (target.dataset.deleteMessage) {
    if (!confirm('Delete this message?')) return
    try {
      await api('/console/api/delete-message', { QueueUrl: target.dataset.queue, Ref: target.dataset.deleteMessage })
      const article = target.closest('.message')
      status('Message ' + article.dataset.messageId + ' deleted.')
      article.remove()
      await refreshAll()
    } catch (error) { status(error.message, true) }
  }
})
`
