import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { Page } from 'playwright-core'
import { type BrowserHarness, hasChromium, launchBrowser } from '../support/browser.ts'
import { uniqueName } from '../support/http.ts'
import { buildAssets, type E2EService, startE2EService } from '../e2e/e2e-service.ts'
import { MODEL_PRICES } from './support.ts'

setDefaultTimeout(180_000)
const PASSWORD = 'correct horse battery'

/** Marks the window; the mark survives htmx swaps and dies with a full page load. */
async function markWindow(page: Page): Promise<void> {
  await page.evaluate(() => {
    ;(window as unknown as { __sage: string }).__sage = 'same document'
  })
}
const sameDocument = (page: Page): Promise<boolean> => page.evaluate(() => (window as unknown as { __sage?: string }).__sage === 'same document')
const total = (page: Page): Promise<string> => page.locator('[data-estimate="total"]').innerText()
const cardStatuses = (page: Page): Promise<string[]> => page.$$eval('.agent-card', (cards) => cards.map((c) => c.getAttribute('data-status') ?? ''))

describe.skipIf(!hasChromium())('cost governance in a real browser (Chromium, the whole service, simulated at a price)', () => {
  let service: E2EService
  let harness: BrowserHarness

  beforeAll(async () => {
    buildAssets()
    service = await startE2EService('budget', { MODEL_PRICES, SIM_LATENCY_MS: '150-400' })
    harness = await launchBrowser()
  }, 120_000)

  afterAll(async () => {
    await harness?.close()
    await service?.stop()
  }, 60_000)

  it('updates the estimate as agents are unticked, and the owner raises a waiting session’s budget and watches it go on live', async () => {
    const owner = uniqueName('cfo')
    const page = await harness.newPage({ baseURL: service.base })
    await page.goto('/signup')
    await page.getByLabel('Username').fill(owner)
    await page.getByLabel('Email').fill(`${owner}@example.test`)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { level: 1, name: `Hello, ${owner}` }).waitFor()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click()
    await page.getByLabel('Name').fill('Finance team')
    await page.getByRole('button', { name: 'Create team' }).click()
    await page.getByRole('heading', { level: 1, name: 'Finance team' }).waitFor()
    const teamPath = new URL(page.url()).pathname

    // A session budget too small for any agent: the first one will wait.
    await page.goto(`${teamPath}/settings`)
    await page.getByLabel('Session budget (USD)').fill('0.001')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.goto(teamPath)
    await markWindow(page)

    // Seven agents by default; unticking two lowers the estimate in place (htmx, no page load).
    const seven = await total(page)
    expect(seven).toMatch(/\$/)
    await page.locator('input[name="agents"][value="it_administrator"]').uncheck()
    await page.waitForFunction((before) => document.querySelector('[data-estimate="total"]')?.textContent !== before, seven)
    const six = await total(page)
    await page.locator('input[name="agents"][value="security_specialist"]').uncheck()
    await page.waitForFunction((before) => document.querySelector('[data-estimate="total"]')?.textContent !== before, six)
    const five = await total(page)
    const usd = (s: string) => Number(s.replace(/[^0-9.]/g, ''))
    expect(usd(six)).toBeLessThan(usd(seven))
    expect(usd(five)).toBeLessThan(usd(six))
    expect(await sameDocument(page)).toBe(true)

    // Start with two agents: the architect waits for budget.
    for (const role of ['backend_developer', 'database_administrator', 'frontend_developer']) await page.locator(`input[name="agents"][value="${role}"]`).uncheck()
    await page.getByLabel('Feature name').fill('Quarterly close report')
    await page.getByRole('button', { name: 'Start session' }).click()
    await page.waitForURL(/\/sessions\/\d+$/)
    await page.getByText('Waiting for budget').waitFor({ timeout: 30_000 })
    expect(await cardStatuses(page)).toContain('awaiting_budget')
    await markWindow(page)

    await page.getByLabel('New budget (USD)').fill('5')
    await page.getByRole('button', { name: 'Raise budget' }).click()
    // The session goes on by itself; the cards and the panel update live, with no page load.
    const deadline = Date.now() + 60_000
    while (!(await cardStatuses(page)).every((s) => s === 'completed')) {
      if (Date.now() > deadline) throw new Error(`cards: ${(await cardStatuses(page)).join(', ')}`)
      await Bun.sleep(200)
    }
    await page.locator('#session-status').getByText('Completed', { exact: true }).waitFor({ timeout: 30_000 })
    expect(await page.getByRole('button', { name: 'Raise budget' }).count()).toBe(0)
    expect(await page.locator('[data-budget="spent"]').innerText()).not.toBe('$0.00')
    expect(await sameDocument(page)).toBe(true)
  })
})
