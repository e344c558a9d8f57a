import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { Page } from 'playwright-core'
import { type BrowserHarness, hasChromium, launchBrowser, SCREENSHOT_DIR } from '../support/browser.ts'
import { type ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'
import { seedCompletedSession } from '../document/completed-session.ts'

setDefaultTimeout(60_000)
const root = new URL('../..', import.meta.url).pathname

/** Elements holding 12 or more characters of their own text drawn narrower than 12 characters, or shorter text squeezed below one line. */
function narrowTextElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      if (el.closest('svg, .sr-only, [hidden], script, style')) continue
      const own = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim()
      if (own.length < 4) continue
      const rect = el.getBoundingClientRect()
      // Not rendered (closed details, display: none) or visually hidden for screen readers only (1 px, clipped).
      if (rect.width <= 1 || rect.height <= 1) continue
      const size = Number.parseFloat(getComputedStyle(el).fontSize)
      // 12 characters of an average proportional font: about 0.45 em each. Shorter text must at least
      // fit on its line (a quarter em a character is narrower than any font draws): no letter-a-line column.
      const needed = own.length >= 12 ? 12 * 0.45 * size : own.replace(/\s+/g, '').length * 0.25 * size
      if (rect.width < needed) out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${Math.round(rect.width)}px: ${own.slice(0, 40)}`)
    }
    return out
  })
}

describe.skipIf(!hasChromium())('the design document in a real browser (Chromium)', () => {
  let t: TestApp
  let owner: ApiClient
  let harness: BrowserHarness
  let base: string
  let sessionId: number

  beforeAll(async () => {
    const build = Bun.spawnSync(['bun', 'scripts/build-assets.ts'], { cwd: root, stderr: 'pipe' })
    if (build.exitCode !== 0) throw new Error(`build-assets failed: ${build.stderr.toString()}`)
    t = await startTestApp()
    owner = await signUp(t.app)
    const teamId = (await owner.post('/api/teams', { name: 'Payments platform team' })).body.team.id
    sessionId = await seedCompletedSession(t.database.db, {
      teamId,
      userId: owner.user?.id ?? 0,
      featureName: 'Password reset by email with rate limiting and an audit trail for support staff',
      description: 'Users who forgot their password get a one-time link by email; support can see who reset what, and when.',
      memberDecision: { text: 'Links expire after 30 minutes and can be used once', category: 'security', confidence: 'high' },
    })
    t.app.listen({ port: 0, hostname: '127.0.0.1' })
    base = `http://127.0.0.1:${t.app.server?.port}`
    harness = await launchBrowser()
  }, 90_000)

  afterAll(async () => {
    await harness?.close()
    await t?.app.stop(true)
    await t?.close()
  })

  async function open(width: number): Promise<Page> {
    const page = await harness.newPage({ baseURL: base, width, height: 900 })
    await page.context().addCookies([{ name: 'sage_session', value: owner.cookie ?? '', url: base }])
    const res = await page.goto(`/sessions/${sessionId}/document`)
    expect(res?.status()).toBe(200)
    return page
  }

  for (const width of [1366, 390]) {
    it(`reads at ${width} px: no horizontal scroll, no text squeezed under 12 characters, the diagram drawn as SVG`, async () => {
      const page = await open(width)
      await harness.screenshot(page, `document-${width}`)
      // Section by section too, at full resolution, for a person to look at.
      for (const part of ['doc-summary-title', 'role-software_architect', 'role-backend_developer', 'role-ui_ux_designer', 'role-security_specialist', 'tokens-and-cost']) {
        const section = page.locator(`#${part}`).locator('xpath=ancestor-or-self::section[1]')
        await section.screenshot({ path: `${SCREENSHOT_DIR}/document-${width}-${part}.png` })
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      expect(await narrowTextElements(page)).toEqual([])
      const svg = page.locator('#role-software_architect svg.flowchart')
      expect(await svg.count()).toBe(1)
      const box = await svg.boundingBox()
      expect(box?.width ?? 0).toBeGreaterThan(100)
      expect(await page.locator('svg.flowchart .flow-node').count()).toBeGreaterThan(3)
      for (const role of ['software_architect', 'backend_developer', 'database_administrator', 'frontend_developer', 'ui_ux_designer', 'security_specialist', 'it_administrator']) {
        expect(await page.locator(`#role-${role}`).isVisible()).toBe(true)
      }
    })
  }

  it('prints the document alone: the print stylesheet hides the navigation and the buttons', async () => {
    const page = await open(1366)
    expect(await page.locator('.site-header').isVisible()).toBe(true)
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('.site-header').isVisible()).toBe(false)
    expect(await page.locator('.site-footer').isVisible()).toBe(false)
    expect(await page.getByRole('link', { name: 'Download Markdown' }).isVisible()).toBe(false)
    expect(await page.locator('#role-backend_developer').evaluate((el) => getComputedStyle(el).breakBefore)).toBe('page')
    expect(await page.locator('svg.flowchart').isVisible()).toBe(true)
    await harness.screenshot(page, 'document-print')
  })

  it('shows the snapshot inspector at 1366 px without sideways scroll or text squeezed to a letter a line', async () => {
    const task = await t.database.db.selectFrom('agent_tasks').selectAll().where('session_id', '=', sessionId).where('agent_role', '=', 'backend_developer').executeTakeFirstOrThrow()
    // A snapshot as deep as the agents record: the whole output nested in the context state.
    await t.database.db
      .insertInto('agent_snapshots')
      .values({
        agent_task_id: task.id,
        agent_role: task.agent_role,
        context_state: JSON.stringify({ input: task.input_data, output: task.output_data, upstream: [{ role: 'software_architect', output: task.output_data }] }),
        capabilities: JSON.stringify(['implement', 'test', 'review', 'optimize']),
        decisions: JSON.stringify((task.output_data as { decisions: unknown[] }).decisions),
        execution_metadata: JSON.stringify({ model: 'simulated', attempt: 1, usage: { input_tokens: 1100, output_tokens: 410 } }),
      })
      .execute()
    const page = await harness.newPage({ baseURL: base, width: 1366 })
    await page.context().addCookies([{ name: 'sage_session', value: owner.cookie ?? '', url: base }])
    expect((await page.goto(`/tasks/${task.id}`))?.status()).toBe(200)
    // Open every collapsed branch of the JSON trees: the widest the page can get.
    await page.evaluate(() => {
      for (const d of Array.from(document.querySelectorAll('details'))) d.open = true
    })
    await harness.screenshot(page, 'task-snapshot-1366')
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    expect(await narrowTextElements(page)).toEqual([])
    expect(await page.locator('#task-output ~ * table.doc-table, #task-output + * table.doc-table').count()).toBeGreaterThan(0)
  })

  it('links the live session page to the document, and each card to its role’s section', async () => {
    const page = await harness.newPage({ baseURL: base, width: 1366 })
    await page.context().addCookies([{ name: 'sage_session', value: owner.cookie ?? '', url: base }])
    await page.goto(`/sessions/${sessionId}`)
    await harness.screenshot(page, 'session-with-document-links')
    // The backend's card, by its task's id (ids depend on what ran before in this database).
    const backend = await t.database.db
      .selectFrom('agent_tasks')
      .select('id')
      .where('session_id', '=', sessionId)
      .where('agent_role', '=', 'backend_developer')
      .executeTakeFirstOrThrow()
    await page.locator(`#task-${backend.id}`).getByRole('link', { name: /Read it in the design document/ }).click()
    await page.waitForURL(`${base}/sessions/${sessionId}/document#role-backend_developer`)
    expect(await page.locator('#role-backend_developer').isVisible()).toBe(true)
  })
})
