/**
 * The console in a real browser (headless Chromium from Debian's `chromium` package, driven by puppeteer-core):
 * create a queue, send, peek, dead-letter a message, redrive the dead-letter queue and watch the counts change.
 * Skipped, saying why, where no Chromium is installed (`.ci/run` installs it).
 */
import { existsSync } from 'node:fs'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accountId, endpoint, jsonClient, uniqueQueueName } from '../support/clients.js'

const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
  .find((path): path is string => Boolean(path && existsSync(path)))
if (!chromium) console.warn('console browser tests skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)')

const sqs = jsonClient()
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.skipIf(!chromium)('the console in Chromium', () => {
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
    page = await browser.newPage()
    page.on('dialog', (dialog) => void dialog.accept())
    page.setDefaultTimeout(20_000)
  })
  afterAll(() => browser?.close())

  /** The text of the page's status region once it says something. */
  const status = async () => {
    await page.waitForFunction(() => document.getElementById('status')?.textContent !== '')
    return page.$eval('#status', (e) => ({ text: e.textContent ?? '', error: e.classList.contains('error') }))
  }
  const clearStatus = () => page.$eval('#status', (e) => { e.textContent = '' })
  const count = (name: 'visible' | 'in-flight' | 'delayed', scope = '#summary') =>
    page.$eval(`${scope} [data-count="${name}"]`, (e) => e.textContent)
  /** Waits for a live-refreshed count to read `value` (the page refreshes every 3 s without reloading). */
  const waitForCount = (name: string, value: string, scope = '#summary') =>
    page.waitForFunction((selector, expected) => document.querySelector(selector)?.textContent === expected, { timeout: 30_000 },
      `${scope} [data-count="${name}"]`, value)

  it('creates a queue, sends, peeks, redrives a dead-letter queue and sees the counts change', async () => {
    const name = uniqueQueueName('console')
    const dlqName = `${name}-dlq`

    // the queue list, and creating the dead-letter queue from it by keyboard
    await page.goto(`${endpoint}/console`)
    expect(await page.title()).toBe('Queues · DQS console')
    await page.focus('#new-name')
    await page.keyboard.type(dlqName)
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')])
    expect(page.url()).toBe(`${endpoint}/console/queues/${dlqName}`)
    expect(await page.$eval('h1', (e) => e.textContent)).toContain(dlqName)

    // every visible field has a label
    const unlabelled = await page.$$eval('input:not([type=hidden]), select, textarea', (fields) =>
      fields.filter((f) => !(f as HTMLInputElement).labels?.length).map((f) => f.outerHTML))
    expect(unlabelled).toEqual([])

    // a source queue that dead-letters after one receive
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${accountId}:${dlqName}`, maxReceiveCount: 1 })
    const { QueueUrl: source } = await sqs.createQueue({ QueueName: name, Attributes: { RedrivePolicy, VisibilityTimeout: '1' } })

    // send from the console, with an attribute, and peek at it: pretty-printed JSON, visible, never received
    await page.goto(`${endpoint}/console/queues/${name}`)
    await page.type('#send-body', '{"order":42,"items":["a","b"]}')
    await page.type('[name="attr-name"]', 'kind')
    await page.type('[name="attr-value"]', 'test')
    await page.click('form[data-action="SendMessage"] button[type=submit]')
    expect(await status()).toMatchObject({ text: expect.stringMatching(/^SendMessage succeeded: message /), error: false })
    await waitForCount('visible', '1')
    await page.click('#peek-form button[type=submit]')
    await page.waitForSelector('#peek-results .message')
    const peeked = await page.$eval('#peek-results .message', (e) => ({
      body: e.querySelector('pre.body')?.textContent, state: (e as HTMLElement).dataset.state, meta: e.querySelector('.meta')?.textContent,
      attributes: e.querySelector('table')?.textContent,
    }))
    expect(peeked.body).toBe('{\n  "order": 42,\n  "items": [\n    "a",\n    "b"\n  ]\n}')
    expect(peeked).toMatchObject({ state: 'visible', meta: expect.stringContaining('received 0 times'), attributes: expect.stringContaining('kind') })
    // peeking again still finds it unreceived
    await page.click('#peek-form button[type=submit]')
    await page.waitForSelector('#peek-results .message')
    expect(await page.$eval('#peek-results .message .meta', (e) => e.textContent)).toContain('received 0 times')

    // a consumer receives it once; the next receive moves it to the dead-letter queue
    expect((await sqs.receiveMessage({ QueueUrl: source })).Messages?.length).toBe(1)
    await pause(1100)
    expect((await sqs.receiveMessage({ QueueUrl: source })).Messages ?? []).toEqual([])

    // the dead-letter queue's page shows it, with where it came from, and redrives it back
    await page.goto(`${endpoint}/console/queues/${dlqName}`)
    expect(await page.$eval('main', (e) => e.textContent)).toContain(`Dead-letter queue of: ${name}`)
    await waitForCount('visible', '1')
    await page.click('#peek-form button[type=submit]')
    await page.waitForSelector('#peek-results .message')
    expect(await page.$eval('#peek-results .message details', (e) => e.textContent)).toContain('DeadLetterQueueSourceArn')
    await clearStatus()
    await page.click('form[data-action="StartMessageMoveTask"] button[type=submit]')
    expect(await status()).toMatchObject({ text: 'StartMessageMoveTask succeeded.', error: false })
    await page.waitForSelector('#move-tasks [data-task-status="COMPLETED"]', { timeout: 30_000 })
    await waitForCount('visible', '0')

    // back in the source queue, live: the list page shows it visible again
    await page.goto(`${endpoint}/console?prefix=${name}`)
    await waitForCount('visible', '1', `tr[data-queue="${name}"]`)
    expect(await count('visible', `tr[data-queue="${dlqName}"]`)).toBe('0')
    expect(await page.$eval(`tr[data-queue="${dlqName}"]`, (e) => e.textContent)).toContain(name)

    // delete the message from the source queue's peek, then purge and delete the dead-letter queue
    await page.goto(`${endpoint}/console/queues/${name}`)
    await page.click('#peek-form button[type=submit]')
    await page.waitForSelector('#peek-results .message')
    await clearStatus()
    await page.click('#peek-results .message button[data-delete-message]')
    expect((await status()).text).toMatch(/^Message .* deleted\.$/)
    await waitForCount('visible', '0')
    await page.goto(`${endpoint}/console/queues/${dlqName}`)
    await clearStatus()
    await page.click('form[data-action="PurgeQueue"] button[type=submit]')
    expect(await status()).toMatchObject({ text: 'PurgeQueue succeeded.', error: false })
    // SQS's rule: one purge per 60 seconds
    await clearStatus()
    await page.click('form[data-action="PurgeQueue"] button[type=submit]')
    expect(await status()).toMatchObject({ text: expect.stringMatching(/^PurgeQueueInProgress: Only one PurgeQueue/), error: true })
    await Promise.all([page.waitForNavigation(), page.click('form[data-action="DeleteQueue"] button[type=submit]')])
    expect(new URL(page.url()).pathname).toBe('/console')
    await expect(sqs.getQueueUrl({ QueueName: dlqName })).rejects.toMatchObject({ name: 'QueueDoesNotExist' })
  }, 120_000)

  it('follows and cancels a slow redrive', async () => {
    const name = uniqueQueueName('console-cancel')
    const { QueueUrl: dlq } = await sqs.createQueue({ QueueName: `${name}-dlq` })
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${accountId}:${name}-dlq`, maxReceiveCount: 1 })
    const { QueueUrl: source } = await sqs.createQueue({ QueueName: name, Attributes: { RedrivePolicy, VisibilityTimeout: '1' } })
    for (const batch of [0, 1]) {
      await sqs.sendMessageBatch({ QueueUrl: source, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `m${batch}${i}` })) })
    }
    let received = 0
    while (received < 20) received += (await sqs.receiveMessage({ QueueUrl: source, MaxNumberOfMessages: 10 })).Messages?.length ?? 0
    await pause(1100)
    expect((await sqs.receiveMessage({ QueueUrl: source, MaxNumberOfMessages: 10 })).Messages ?? []).toEqual([])

    await page.goto(`${endpoint}/console/queues/${name}-dlq`)
    await waitForCount('visible', '20')
    await page.type('#redrive-rate', '1')
    await clearStatus()
    await page.click('form[data-action="StartMessageMoveTask"] button[type=submit]')
    expect((await status()).error).toBe(false)
    // followed live: the task's row shows messages moved, one a second
    await page.waitForFunction(() => /^[1-9]\d* of 20$/.test(document.querySelector('#move-tasks [data-task-status="RUNNING"] td.num')?.textContent ?? ''), { timeout: 30_000 })
    await clearStatus()
    await page.click('#move-tasks form[data-action="CancelMessageMoveTask"] button')
    expect(await status()).toMatchObject({ text: 'CancelMessageMoveTask succeeded.', error: false })
    await page.waitForSelector('#move-tasks [data-task-status="CANCELLED"]', { timeout: 30_000 })
    // some went back before the cancel, the rest stay
    await page.waitForFunction(() => Number(document.querySelector('#summary [data-count="visible"]')?.textContent) < 20, { timeout: 30_000 })
    expect(Number(await count('visible'))).toBeGreaterThan(0)
    await Promise.all([sqs.deleteQueue({ QueueUrl: source }), sqs.deleteQueue({ QueueUrl: dlq })])
  }, 120_000)

  it('groups a FIFO queue by message group and pages a long queue', async () => {
    const name = uniqueQueueName('console', true)
    const { QueueUrl } = await sqs.createQueue({ QueueName: name, Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } })
    for (const group of ['g1', 'g2']) {
      await sqs.sendMessageBatch({ QueueUrl, Entries: Array.from({ length: 7 }, (_, i) => ({ Id: `m${i}`, MessageBody: `${group}-${i}`, MessageGroupId: group })) })
    }
    await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 300 })
    await page.goto(`${endpoint}/console/queues/${name}`)
    // a FIFO send needs its group
    await page.type('#send-body', 'from the console')
    await page.type('#send-group', 'g3')
    await page.click('form[data-action="SendMessage"] button[type=submit]')
    expect((await status()).error).toBe(false)
    await page.click('#peek-form button[type=submit]')
    await page.waitForSelector('#peek-results .group')
    const groups = await page.$$eval('#peek-results .group', (sections) => sections.map((s) => ({
      group: (s as HTMLElement).dataset.group, meta: s.querySelector('.meta')?.textContent, first: s.querySelector('pre.body')?.textContent,
    })))
    expect(groups.map((g) => g.group)).toEqual(['g2', 'g3', 'g1'])
    expect(groups[0]!.meta).toContain('Position 1')
    expect(groups[2]!.meta).toMatch(/Locked: its first message is in flight until/)
    expect(groups[2]!.first).toBe('g1-0')
    await page.click('#peek-results .group[data-group="g2"] button[data-more-group]')
    await page.waitForFunction(() => document.querySelectorAll('#peek-results .group[data-group="g2"] .message').length === 7)

    // a standard queue of 60 messages, 20 a page
    const long = uniqueQueueName('console-long')
    const { QueueUrl: longUrl } = await sqs.createQueue({ QueueName: long })
    for (let i = 0; i < 60; i += 10) {
      await sqs.sendMessageBatch({ QueueUrl: longUrl, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: `m${j}`, MessageBody: `message ${i + j}` })) })
    }
    await page.goto(`${endpoint}/console/queues/${long}`)
    await page.click('#peek-form button[type=submit]')
    await page.waitForFunction(() => document.querySelectorAll('#peek-results .message').length === 20)
    await page.click('#peek-results button[data-next-page]')
    await page.waitForFunction(() => document.querySelectorAll('#peek-results .message').length === 40)
    await page.click('#peek-results button[data-next-page]')
    await page.waitForFunction(() => document.querySelectorAll('#peek-results .message').length === 60)
    const ids = await page.$$eval('#peek-results .message', (m) => m.map((e) => (e as HTMLElement).dataset.messageId))
    expect(new Set(ids).size).toBe(60)
  }, 120_000)
})
