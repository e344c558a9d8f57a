import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { buildAssets, type E2EService, startE2EService } from '../e2e/e2e-service.ts'
import { type BrowserHarness, hasChromium, launchBrowser, SCREENSHOT_DIR } from '../support/browser.ts'
import { uniqueName } from '../support/http.ts'

const PASSWORD = 'correct horse battery'
const MAX_RETRIES = 2

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'initial' })
}

/** What the progress block says (its sentence, legend counts and segment widths) beside what the cards say. */
async function progressState(page: Page): Promise<{ text: string; legend: Record<string, number>; segments: Record<string, number>; cards: Record<string, number> }> {
  return page.evaluate(() => {
    const block = document.querySelector('#session-progress') as HTMLElement
    const legend: Record<string, number> = {}
    for (const li of Array.from(block.querySelectorAll('li[data-status]'))) legend[li.getAttribute('data-status') ?? ''] = Number(li.querySelector('strong')?.textContent)
    const segments: Record<string, number> = {}
    for (const r of Array.from(block.querySelectorAll('rect.progress-seg'))) segments[r.getAttribute('data-status') ?? ''] = Number(r.getAttribute('width'))
    const cards: Record<string, number> = {}
    for (const c of Array.from(document.querySelectorAll('.agent-card'))) {
      const s = (c.getAttribute('data-status') ?? '').startsWith('awaiting') ? 'awaiting' : (c.getAttribute('data-status') ?? '')
      cards[s] = (cards[s] ?? 0) + 1
    }
    return { text: block.querySelector('.session-progress-text')?.textContent ?? '', legend, segments, cards }
  })
}

/** Starts a session of all seven agents from the team page and returns its path. */
async function startSession(page: Page, teamPath: string, feature: string): Promise<string> {
  await page.goto(teamPath)
  await page.getByLabel('Feature name').fill(feature)
  await page.getByLabel('Description').fill('Customers pay by card; receipts by email.')
  await page.getByRole('button', { name: 'Start session' }).click()
  await page.waitForURL(/\/sessions\/\d+$/)
  return new URL(page.url()).pathname
}

describe.skipIf(!hasChromium())('progress by status and failures explained (Chromium, the whole service)', () => {
  let service: E2EService
  let harness: BrowserHarness
  let page: Page
  let teamPath: string
  let username: string

  beforeAll(async () => {
    buildAssets()
    service = await startE2EService('failure', { SIM_LATENCY_MS: '100-250', TASK_MAX_RETRIES: String(MAX_RETRIES), TASK_RETRY_BASE_MS: '20' })
    harness = await launchBrowser()
    username = uniqueName('fail')
    page = await harness.newPage({ baseURL: service.base, width: 1366, height: 900 })
    await page.goto('/signup')
    await page.getByLabel('Username').fill(username)
    await page.getByLabel('Email').fill(`${username}@example.test`)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { level: 1, name: `Hello, ${username}` }).waitFor()
    await page.goto('/teams')
    await page.getByLabel('Name').fill('Payments')
    await page.getByRole('button', { name: 'Create team' }).click()
    await page.getByRole('heading', { level: 1, name: 'Payments' }).waitFor()
    teamPath = new URL(page.url()).pathname
  }, 120_000)

  afterAll(async () => {
    await harness?.close()
    await service?.stop()
  }, 60_000)

  it('counts a running session by status, then a cancelled one without calling it finished', async () => {
    // The backend never answers: the architect and the database administrator complete, the backend runs, four wait.
    const path = await startSession(page, teamPath, 'Card payments [sim:hang=backend_developer]')
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.agent-card[data-status="completed"]').length === 2 &&
        document.querySelector('.agent-card[data-status="running"] h3')?.textContent === 'Backend Developer',
      undefined,
      { timeout: 60_000 },
    )
    await page.waitForFunction(() => document.querySelector('#session-progress .session-progress-text')?.textContent?.includes('1 running'), undefined, { timeout: 10_000 })
    const running = await progressState(page)
    expect(running.text).toBe('2 of 7 agents completed · 1 running · 4 pending')
    expect(running.legend).toEqual({ completed: 2, running: 1, pending: 4 })
    expect(running.segments).toEqual(running.legend)
    expect(running.cards).toEqual(running.legend)
    await shot(page, 'progress-running-1366')

    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: 'Cancel session' }).click()
    await page.locator('#session-summary .badge-cancelled').waitFor({ timeout: 30_000 })
    await page.waitForFunction(() => !document.querySelector('.agent-card[data-status="running"], .agent-card[data-status="pending"]'), undefined, { timeout: 30_000 })
    const cancelled = await progressState(page)
    expect(cancelled.text.startsWith('2 of 7 agents completed · ')).toBe(true)
    expect(cancelled.text).not.toContain('7 of 7')
    expect(cancelled.legend.completed).toBe(2)
    expect(cancelled.legend.cancelled).toBeGreaterThanOrEqual(1)
    expect(cancelled.segments).toEqual(cancelled.legend)
    expect(cancelled.cards).toEqual(cancelled.legend)
    expect(await page.locator('#session-failure').textContent()).toContain('Why it stopped')
    expect(await page.getByRole('button', { name: 'Resume session' }).count()).toBe(1)

    // A fresh load says the same as the live page did.
    await page.goto(path)
    expect(await progressState(page)).toEqual(cancelled)
  }, 120_000)

  it('explains a failed session: the role, its attempts and last error, the skipped cards naming it, the next steps and the same confidence on card and journal', async () => {
    const feature = 'Refunds [sim:fail=backend_developer]'
    const path = await startSession(page, teamPath, feature)
    await page.locator('#session-summary .badge-failed').waitFor({ timeout: 90_000 })
    await page.locator('#session-failure').waitFor()
    const live = await progressState(page)
    expect(live.legend.failed).toBe(1)
    expect(live.legend.completed).toBe(2)
    expect(live.text).not.toContain('7 of 7')
    expect(live.segments).toEqual(live.legend)
    expect(live.cards).toEqual(live.legend)
    const liveFailure = await page.locator('#session-failure').innerText()

    // On a fresh load too: the summary, the failed card and every skipped card say why.
    await page.goto(path)
    expect(await progressState(page)).toEqual(live)
    const failure = page.locator('#session-failure')
    expect(await failure.innerText()).toBe(liveFailure)
    expect(await page.locator('.session-byline').textContent()).toBe(`Started by ${username}`)
    const text = await failure.innerText()
    expect(text).toContain(`Backend Developer failed after ${MAX_RETRIES + 1} attempts.`)
    expect(text).toMatch(/Last error: .+/)
    expect(text).toContain('Skipped because of it: Frontend Developer, UI/UX Designer, Security Specialist and IT Administrator.')
    const backend = page.locator('.agent-card', { has: page.getByRole('heading', { name: 'Backend Developer' }) })
    expect(await backend.locator('.agent-failure').innerText()).toContain(`Failed after ${MAX_RETRIES + 1} attempts`)
    const skipped = await page.$$eval('.agent-card[data-status="skipped"] .agent-skip-cause', (ps) => ps.map((p) => p.textContent))
    expect(skipped).toEqual(Array(4).fill('Skipped: Backend Developer failed.'))

    // The same confidence on the architect's card and on its entries in the journal: "High (85%)".
    const card = page.locator('.agent-card', { has: page.getByRole('heading', { name: 'Software Architect' }) })
    const cardConfidence = await card.locator('.agent-confidence .badge').textContent()
    expect(cardConfidence).toMatch(/^Confidence: (High|Medium|Low) \(\d+%\)$/)
    const journal = page.locator('.journal-item[data-source="agent"]', { has: page.locator('.journal-who', { hasText: 'Software Architect' }) })
    expect(await journal.count()).toBeGreaterThan(0)
    expect(await journal.first().locator('.badge').textContent()).toBe(cardConfidence)
    // Adding a decision replaces the journal in place (htmx): the agents' entries keep their percentage.
    await page.getByLabel('Decision', { exact: true }).fill('Refund to the original card only')
    await page.getByLabel('Category').fill('payments')
    await page.getByRole('button', { name: 'Add decision' }).click()
    await page.locator('.journal-item', { hasText: 'Refund to the original card only' }).waitFor()
    expect(await journal.first().locator('.badge').textContent()).toBe(cardConfidence)

    // Screenshots of the failed session, wide and narrow; nothing wider than a 390 px screen.
    await shot(page, 'failed-session-1366')
    await failure.screenshot({ path: join(SCREENSHOT_DIR, 'failed-session-summary-1366.png') })
    const narrow = await harness.newPage({ baseURL: service.base, width: 390, height: 844 })
    await narrow.context().addCookies(await page.context().cookies())
    await narrow.goto(path)
    await narrow.locator('#session-failure').waitFor()
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await shot(narrow, 'failed-session-390')
    await narrow.locator('#session-summary').screenshot({ path: join(SCREENSHOT_DIR, 'failed-session-summary-390.png') })

    // The next steps: resume, fork from the failed card, or start again with the same brief, prefilled.
    expect(await failure.getByRole('button', { name: 'Resume session' }).count()).toBe(1)
    expect(await failure.getByRole('link', { name: 'Fork from Backend Developer' }).getAttribute('href')).toBe(`#${await backend.getAttribute('id')}`)
    await failure.getByRole('link', { name: 'Start again with the same brief' }).click()
    await page.waitForURL((url) => url.pathname === teamPath && url.searchParams.get('again') === path.split('/').pop())
    expect(await page.getByLabel('Feature name').inputValue()).toBe(feature)
    expect(await page.getByLabel('Description').inputValue()).toBe('Customers pay by card; receipts by email.')
    expect(await page.locator('#start-session-form input[name="agents"]:checked').count()).toBe(7)
    expect(harness.errors).toEqual([])
  }, 150_000)
})
