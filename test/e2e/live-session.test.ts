import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { Dialog, Page } from 'playwright-core'
import { join } from 'node:path'
import { type BrowserHarness, hasChromium, launchBrowser, SCREENSHOT_DIR } from '../support/browser.ts'
import { uniqueName } from '../support/http.ts'
import { buildAssets, type DropProxy, type E2EService, startDropProxy, startE2EService } from './e2e-service.ts'

const PASSWORD = 'correct horse battery'

/**
 * A full-page screenshot under test-results/screenshots/. The caret stays as it is: Playwright hides
 * it by writing inline styles on every input, which would then trip the CSP when htmx swaps them.
 */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'initial' })
}

/** Marks the window; the mark survives htmx swaps and dies with a full page load. */
async function markWindow(page: Page): Promise<void> {
  await page.evaluate(() => {
    ;(window as unknown as { __sage: string }).__sage = 'same document'
  })
}
async function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __sage?: string }).__sage === 'same document')
}

/** Signs up through the form; the page ends on the logged-in home page. */
async function signUpInBrowser(page: Page, username: string): Promise<void> {
  await page.goto('/signup')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Email').fill(`${username}@example.test`)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('heading', { level: 1, name: `Hello, ${username}` }).waitFor()
}

/** Logs in through the form. */
async function logInInBrowser(page: Page, username: string): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('Username or email').fill(username)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('heading', { level: 1, name: `Hello, ${username}` }).waitFor()
}

/** Creates a team from the Teams page; the page ends on the team. Returns its path. */
async function createTeamInBrowser(page: Page, name: string): Promise<string> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click()
  await page.getByRole('heading', { level: 1, name: 'Teams' }).waitFor()
  await page.getByLabel('Name').fill(name)
  await page.getByLabel('Shared team').check()
  await page.getByRole('button', { name: 'Create team' }).click()
  await page.getByRole('heading', { level: 1, name }).waitFor()
  return new URL(page.url()).pathname
}

/** Starts a session from the team page's form; the page ends on the live session. */
async function startSessionInBrowser(page: Page, feature: string): Promise<string> {
  await page.getByLabel('Feature name').fill(feature)
  await page.getByLabel('Description').fill('Users who forget their password get a one-time link by email.')
  await page.getByRole('button', { name: 'Start session' }).click()
  await page.getByRole('heading', { level: 1, name: feature }).waitFor()
  await page.waitForURL(/\/sessions\/\d+$/)
  return new URL(page.url()).pathname
}

/** The statuses of the seven cards, in page order. */
function cardStatuses(page: Page): Promise<string[]> {
  return page.$$eval('.agent-card', (cards) => cards.map((c) => c.getAttribute('data-status') ?? ''))
}

/** Each card's HTML, without the out-of-band marker a live swap leaves on it. */
/**
 * The cards' HTML once htmx has finished swapping and settling, without htmx's own
 * bookkeeping (swap classes, `data-htmx-powered`, the `hx-swap-oob` marker of live fragments).
 */
async function cardsHtml(page: Page): Promise<string[]> {
  await page.waitForFunction(() => document.querySelector('.htmx-swapping, .htmx-settling, .htmx-added') === null, undefined, { timeout: 10_000 })
  return page.$$eval('.agent-card', (cards) =>
    cards.map((c) =>
      c.outerHTML
        .replace(/ hx-swap-oob="true"/g, '')
        .replace(/ data-htmx-powered="true"/g, '')
        .replace(/ htmx-(swapping|settling|added)/g, ''),
    ),
  )
}

async function waitForCards(page: Page, done: (statuses: string[]) => boolean, timeout = 90_000): Promise<void> {
  const deadline = Date.now() + timeout
  for (;;) {
    const statuses = await cardStatuses(page)
    if (statuses.length > 0 && done(statuses)) return
    if (Date.now() > deadline) throw new Error(`cards did not get there in time: ${statuses.join(', ')}`)
    await Bun.sleep(200)
  }
}

const acceptDialogs = (page: Page): void => {
  page.on('dialog', (d: Dialog) => void d.accept())
}

describe.skipIf(!hasChromium())('the live session in a real browser (Chromium, the whole service)', () => {
  let service: E2EService
  let harness: BrowserHarness

  beforeAll(async () => {
    buildAssets()
    service = await startE2EService('e2e')
    harness = await launchBrowser()
  }, 120_000)

  afterAll(async () => {
    await harness?.close()
    await service?.stop()
  }, 60_000)

  it('signs up, creates a team, invites, runs seven agents live with no page load, adds a decision, completes a second session early, replays it and shows the dashboard', async () => {
    const owner = uniqueName('ada')
    const colleague = uniqueName('grace')
    const other = await harness.newPage({ baseURL: service.base })
    await signUpInBrowser(other, colleague)

    const page = await harness.newPage({ baseURL: service.base })
    acceptDialogs(page)
    await signUpInBrowser(page, owner)
    await markWindow(page)

    const teamPath = await createTeamInBrowser(page, 'Platform team')
    await page.getByLabel('Username or email').fill(colleague)
    await page.getByLabel('Role').selectOption('member')
    await page.getByRole('button', { name: 'Invite' }).click()
    await page.getByText('Invitation done').waitFor()
    expect(await page.getByRole('rowheader', { name: colleague }).count()).toBe(1)

    const sessionPath = await startSessionInBrowser(page, 'Password reset by email')
    expect(await page.locator('.agent-card').count()).toBe(7)
    // Some card is streaming or finished before the end: the page is updating itself.
    await waitForCards(page, (s) => s.some((x) => x === 'running' || x === 'completed'))
    await shot(page, 'e2e-live-session-running')
    await waitForCards(page, (s) => s.every((x) => x === 'completed'))
    expect(await sameDocument(page)).toBe(true)

    await page.getByLabel('Decision', { exact: true }).fill('Reset links are single-use and expire after 30 minutes.')
    await page.getByLabel('Category').fill('security')
    await page.getByLabel('High').check()
    await page.getByRole('button', { name: 'Add decision' }).click()
    await page.locator('#journal-list').getByText('Reset links are single-use').waitFor()
    // The session ends by itself once every agent has finished.
    await page.locator('#session-status').getByText('Completed', { exact: true }).waitFor({ timeout: 30_000 })
    expect(await page.locator('#session-live').count()).toBe(1)
    expect(await sameDocument(page)).toBe(true)
    await shot(page, 'e2e-live-session-completed')

    // A second session, ended early with the Complete button.
    await page.locator('a.eyebrow').click()
    await page.waitForURL(`${service.base}${teamPath}`)
    await startSessionInBrowser(page, 'Audit log export')
    await waitForCards(page, (s) => s.some((x) => x === 'running' || x === 'completed'))
    await page.getByRole('button', { name: 'Complete session' }).click()
    await page.locator('#session-status').getByText('Completed', { exact: true }).waitFor()
    await waitForCards(page, (s) => s.every((x) => x === 'completed' || x === 'cancelled'))
    expect(await page.getByRole('button', { name: 'Complete session' }).count()).toBe(0)
    expect(await sameDocument(page)).toBe(true)

    await page.getByRole('link', { name: 'Replay' }).click()
    await page.getByRole('heading', { level: 1, name: 'Replay: Audit log export' }).waitFor()
    // The replay opens at its first event; Play moves on one event a second (htmx polling), Pause stops it.
    await page.getByText(/^Event 1 of \d+/).waitFor()
    expect(await page.locator('.agent-card[data-status="pending"]').count()).toBe(7)
    await shot(page, 'e2e-replay')
    // The first session's replay, played: it moves on one event a second (htmx polling), and Pause stops it.
    await page.goto(`${sessionPath}/replay`)
    await page.getByText(/^Event 1 of \d+/).waitFor()
    await markWindow(page)
    await page.getByRole('link', { name: 'Play', exact: true }).click()
    await page.getByText(/^Event 3 of \d+/).waitFor({ timeout: 10_000 })
    await page.getByRole('link', { name: 'Pause' }).click()
    await page.getByRole('link', { name: 'Play', exact: true }).waitFor()
    const paused = await page.locator('.replay-position').textContent()
    await Bun.sleep(2_500)
    expect(await page.locator('.replay-position').textContent()).toBe(paused)
    expect(await sameDocument(page)).toBe(true)

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click()
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor()
    expect(await page.locator('.chart-panels svg').count()).toBeGreaterThanOrEqual(4)
    expect(await sameDocument(page)).toBe(true)
    await shot(page, 'e2e-dashboard')

    await page.goto(sessionPath)
    expect(await cardStatuses(page)).toEqual(Array(7).fill('completed'))
    expect(harness.errors).toEqual([])
  }, 240_000)

  it('resumes after the SSE connection drops mid-session and ends with the same seven cards as a fresh page load', async () => {
    const proxy: DropProxy = startDropProxy(service.port)
    try {
      const page = await harness.newPage({ baseURL: proxy.base })
      const resumedFrom: string[] = []
      page.on('request', (r) => {
        if (/\/sessions\/\d+\/stream/.test(r.url())) resumedFrom.push(r.headers()['last-event-id'] ?? 'none')
      })
      await signUpInBrowser(page, uniqueName('linus'))
      await createTeamInBrowser(page, 'Drop team')
      const sessionPath = await startSessionInBrowser(page, 'Flaky network')
      await markWindow(page)
      // Only SSE fragments fill the announcer: once it speaks, the stream has delivered an event (and its id).
      await page.waitForFunction(() => (document.getElementById('live-announcer')?.textContent ?? '') !== '', undefined, { timeout: 30_000 })
      // Cut every connection and refuse new ones for a while: events happen meanwhile.
      await proxy.drop(1500)
      expect(proxy.cut).toBeGreaterThan(0)
      await waitForCards(page, (s) => s.every((x) => x === 'completed'))
      await page.locator('#session-status').getByText('Completed', { exact: true }).waitFor({ timeout: 30_000 })
      expect(await sameDocument(page)).toBe(true)
      // The first connection started from the page's render; a later one resumed from an event id.
      expect(resumedFrom[0]).toBe('none')
      expect(resumedFrom.slice(1).some((id) => /^\d+$/.test(id))).toBe(true)
      const live = await cardsHtml(page)
      await shot(page, 'e2e-reconnected')

      const fresh = await harness.newPage({ baseURL: proxy.base })
      await fresh.context().addCookies(await page.context().cookies())
      await fresh.goto(sessionPath)
      expect(live).toHaveLength(7)
      expect(live).toEqual(await cardsHtml(fresh))
      await shot(fresh, 'e2e-reconnected-fresh-load')
    } finally {
      proxy.stop()
    }
  }, 180_000)

  it('shows a viewer no start-session form and no session controls', async () => {
    const owner = await harness.newPage({ baseURL: service.base })
    const ownerName = uniqueName('owner')
    const viewerName = uniqueName('viewer')
    const viewer = await harness.newPage({ baseURL: service.base })
    await signUpInBrowser(viewer, viewerName)
    await viewer.getByRole('button', { name: 'Log out' }).click()
    await viewer.getByRole('link', { name: 'Log in' }).first().waitFor()

    await signUpInBrowser(owner, ownerName)
    const teamPath = await createTeamInBrowser(owner, 'Read-only team')
    await owner.getByLabel('Username or email').fill(viewerName)
    await owner.getByLabel('Role').selectOption('viewer')
    await owner.getByRole('button', { name: 'Invite' }).click()
    await owner.getByText('Invitation done').waitFor()
    const sessionPath = await startSessionInBrowser(owner, 'Viewer check')

    await logInInBrowser(viewer, viewerName)
    await viewer.getByRole('link', { name: 'Read-only team' }).click()
    await viewer.getByRole('heading', { level: 1, name: 'Read-only team' }).waitFor()
    expect(new URL(viewer.url()).pathname).toBe(teamPath)
    expect(await viewer.locator('#start-session-form').count()).toBe(0)
    await viewer.getByText('Read-only access').waitFor()
    await shot(viewer, 'e2e-viewer-team')

    await viewer.goto(sessionPath)
    expect(await viewer.locator('#decision-form').count()).toBe(0)
    expect(await viewer.getByRole('button', { name: 'Complete session' }).count()).toBe(0)
  }, 120_000)
})
