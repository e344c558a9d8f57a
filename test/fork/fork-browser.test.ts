import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { buildAssets, type E2EService, startE2EService } from '../e2e/e2e-service.ts'
import { type BrowserHarness, hasChromium, launchBrowser, SCREENSHOT_DIR } from '../support/browser.ts'
import { uniqueName } from '../support/http.ts'

const PASSWORD = 'correct horse battery'
const DOWNSTREAM_OF_FRONTEND = ['frontend_developer', 'security_specialist', 'it_administrator']

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'initial' })
}

/** Waits until every card on the page shows `completed` (live, no reload). */
async function allCompleted(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const cards = Array.from(document.querySelectorAll('.agent-card'))
      return cards.length === 7 && cards.every((c) => c.getAttribute('data-status') === 'completed')
    },
    undefined,
    { timeout: 60_000 },
  )
}

describe.skipIf(!hasChromium())('fork from a card and compare (Chromium, the whole service)', () => {
  let service: E2EService
  let harness: BrowserHarness

  beforeAll(async () => {
    buildAssets()
    service = await startE2EService('fork', { SIM_LATENCY_MS: '100-300' })
    harness = await launchBrowser()
  }, 120_000)

  afterAll(async () => {
    await harness?.close()
    await service?.stop()
  }, 60_000)

  it('forks a finished session from the frontend with feedback, watches the fork complete live and sees only the changed roles on the diff page', async () => {
    const username = uniqueName('fork')
    const page = await harness.newPage({ baseURL: service.base, width: 1366, height: 900 })
    await page.goto('/signup')
    await page.getByLabel('Username').fill(username)
    await page.getByLabel('Email').fill(`${username}@example.test`)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { level: 1, name: `Hello, ${username}` }).waitFor()
    await page.goto('/teams')
    await page.getByLabel('Name').fill('Forkers')
    await page.getByRole('button', { name: 'Create team' }).click()
    await page.getByRole('heading', { level: 1, name: 'Forkers' }).waitFor()
    await page.getByLabel('Feature name').fill('Password reset')
    await page.getByLabel('Description').fill('Users who forget their password get a one-time link by email.')
    await page.getByRole('button', { name: 'Start session' }).click()
    await page.waitForURL(/\/sessions\/\d+$/)
    const parentPath = new URL(page.url()).pathname

    // The session ends live; the cards come back with "Fork from here" without a reload.
    await allCompleted(page)
    const frontend = page.locator('.agent-card', { has: page.getByRole('heading', { name: 'Frontend Developer' }) })
    await frontend.getByText('Fork from here').waitFor({ timeout: 30_000 })
    expect(await page.locator('.fork-form').count()).toBe(7)
    await frontend.getByText('Fork from here').click()
    await frontend.getByLabel(/What should the Frontend Developer change/).fill('Show the reset form as a single step with inline errors.')
    await frontend.getByRole('button', { name: 'Fork session' }).click()

    // Lands on the new session: its parent linked, the copied roles done at once, the rest run live.
    await page.waitForURL((url) => /\/sessions\/\d+$/.test(url.pathname) && url.pathname !== parentPath)
    const forkPath = new URL(page.url()).pathname
    await page.getByText('Forked from').waitFor()
    await expect(page.locator('.lineage-parent a', { hasText: 'Password reset' }).getAttribute('href')).resolves.toBe(parentPath)
    await allCompleted(page)
    await shot(page, 'fork-session-1366')

    // The diff page: only the frontend and what follows it may differ, and the frontend does.
    await page.getByRole('link', { name: 'Compare with parent' }).click()
    await page.getByRole('heading', { level: 1, name: 'Compare sessions' }).waitFor()
    expect(new URL(page.url()).pathname).toBe(`${forkPath}/diff/${parentPath.split('/').pop()}`)
    const changed = await page.$$eval('.diff-role[data-changed="true"]', (rows) => rows.map((r) => r.getAttribute('data-role') ?? ''))
    expect(changed).toContain('frontend_developer')
    for (const role of changed) expect(DOWNSTREAM_OF_FRONTEND).toContain(role)
    expect(await page.locator('.diff-role[data-role="software_architect"]').getAttribute('data-changed')).toBe('false')
    expect(await page.locator('.diff-role[data-role="frontend_developer"] .diff-fields').textContent()).toContain('Fields changed')
    await shot(page, 'fork-diff-1366')

    // The same page at 390 px: nothing wider than the screen.
    const narrow = await harness.newPage({ baseURL: service.base, width: 390, height: 844 })
    await narrow.context().addCookies(await page.context().cookies())
    await narrow.goto(page.url())
    await narrow.getByRole('heading', { level: 1, name: 'Compare sessions' }).waitFor()
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await shot(narrow, 'fork-diff-390')
    await narrow.goto(forkPath)
    await narrow.getByText('Forked from').waitFor()
    await shot(narrow, 'fork-session-390')
    // Close-ups at 390 px: the parent link, and a card's fork form opened.
    await narrow.locator('#lineage-title').locator('..').screenshot({ path: join(SCREENSHOT_DIR, 'fork-lineage-390.png') })
    const card = narrow.locator('.agent-card', { has: narrow.getByRole('heading', { name: 'Security Specialist' }) })
    await card.getByText('Fork from here').click()
    await card.getByRole('button', { name: 'Fork session' }).waitFor()
    await card.screenshot({ path: join(SCREENSHOT_DIR, 'fork-form-390.png') })

    // Without JavaScript: the plain form (its CSRF field joined by form=) posts, and the 303 lands on the new fork.
    const noJs = await harness.browser.newContext({ javaScriptEnabled: false, baseURL: service.base, viewport: { width: 1366, height: 900 } })
    try {
      await noJs.addCookies(await page.context().cookies())
      const plain = await noJs.newPage()
      await plain.goto(parentPath)
      const architect = plain.locator('.agent-card', { has: plain.getByRole('heading', { name: 'Software Architect' }) })
      await architect.getByText('Fork from here').click()
      await architect.getByLabel(/What should the Software Architect change/).fill('Prefer event sourcing.')
      await architect.getByRole('button', { name: 'Fork session' }).click()
      await plain.waitForURL((url) => /\/sessions\/\d+$/.test(url.pathname) && url.pathname !== parentPath && url.pathname !== forkPath)
      await plain.getByText('Forked from').waitFor()
      expect(await plain.getByText('Session forked').count()).toBe(1)
    } finally {
      await noJs.close()
    }
    expect(harness.errors).toEqual([])
  }, 180_000)
})
