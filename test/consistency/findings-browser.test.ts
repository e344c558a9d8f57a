import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { BrowserContext, Page } from 'playwright-core'
import { checkConsistency, type SessionOutputs } from '../../src/consistency/index.ts'
import type { AgentRole } from '../../src/agents/index.ts'
import { seedCompletedSession } from '../document/completed-session.ts'
import { type BrowserHarness, hasChromium, launchBrowser } from '../support/browser.ts'
import { type ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'

setDefaultTimeout(120_000)
const root = new URL('../..', import.meta.url).pathname

describe.skipIf(!hasChromium())('consistency findings in Chromium', () => {
  let t: TestApp
  let harness: BrowserHarness
  let base: string
  let owner: ApiClient & { user: { id: number } }
  let sessionId: number
  let findingIds: number[]
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    const build = Bun.spawnSync(['bun', 'scripts/build-assets.ts'], { cwd: root, stderr: 'pipe' })
    if (build.exitCode !== 0) throw new Error(`build-assets failed: ${build.stderr.toString()}`)
    t = await startTestApp()
    t.app.listen({ port: 0, hostname: '127.0.0.1' })
    base = `http://127.0.0.1:${t.app.server?.port}`
    harness = await launchBrowser()
    owner = (await signUp(t.app)) as typeof owner
    const teamId = (await owner.post('/api/teams', { name: 'Findings team', is_shared: true })).body.team.id as number
    // A completed session whose frontend calls endpoints the backend never defined, one with hostile text.
    sessionId = await seedCompletedSession(t.deps.db, {
      teamId,
      userId: owner.user.id,
      featureName: 'Invoice export',
      description: 'Finance exports invoices to CSV.',
      output: (role, simulated) =>
        role === 'frontend_developer'
          ? { ...simulated, api_calls: [{ method: 'DELETE', path: '/api/invoices/:id', purpose: 'x' }, { method: 'GET', path: '/api/<script>alert(1)</script>', purpose: 'y' }] }
          : simulated,
    })
    const rows = await t.deps.db.selectFrom('agent_tasks').select(['agent_role', 'output_data']).where('session_id', '=', sessionId).execute()
    const outputs: SessionOutputs = Object.fromEntries(rows.map((r) => [r.agent_role as AgentRole, r.output_data]))
    const result = checkConsistency(outputs)
    expect(result.findings).toHaveLength(2)
    await t.deps.db.updateTable('execution_sessions').set({ consistency_score: result.score }).where('id', '=', sessionId).execute()
    const inserted = await t.deps.db
      .insertInto('consistency_findings')
      .values(result.findings.map((f) => ({ session_id: sessionId, rule: f.rule, severity: f.severity, roles: JSON.stringify(f.roles), message: f.message })))
      .returning('id')
      .execute()
    findingIds = inserted.map((r) => r.id)
  }, 120_000)

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {})
    await harness?.close()
    await t?.app.stop(true)
    await t?.close()
  })

  async function pageAs(who: ApiClient, js: boolean): Promise<Page> {
    const context = await harness.browser.newContext({ baseURL: base, javaScriptEnabled: js, viewport: { width: 1366, height: 900 } })
    contexts.push(context)
    await context.addCookies([{ name: 'sage_session', value: who.cookie ?? '', url: base }])
    return context.newPage()
  }

  const statusOf = async (id: number) =>
    (await t.deps.db.selectFrom('consistency_findings').select(['status', 'note']).where('id', '=', id).executeTakeFirstOrThrow())

  it('shows the findings grouped by rule with the roles involved, and resolves one with a note through htmx', async () => {
    const page = await pageAs(owner, true)
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await page.goto(`/sessions/${sessionId}`)
    const section = page.locator('#findings')
    await section.getByRole('heading', { name: 'Frontend calls exist in the backend' }).waitFor()
    expect(await section.locator('#consistency-score').textContent()).toContain('Consistency score 80 / 100')
    const first = page.locator(`#finding-${findingIds[0]}`)
    expect(await first.textContent()).toContain('Frontend Developer')
    expect(await first.textContent()).toContain('Backend Developer')
    expect(await page.locator(`#finding-${findingIds[1]}`).textContent()).toContain('/api/<script>alert(1)</script>')
    await first.getByLabel('Status').selectOption('resolved')
    await first.getByLabel('Note').fill('Backend adds DELETE in the fork')
    const url = page.url()
    await first.getByRole('button', { name: 'Save' }).click()
    await page.locator(`#finding-${findingIds[0]}[data-status="resolved"]`).waitFor()
    expect(page.url()).toBe(url) // swapped in place, no navigation
    expect(await page.locator(`#finding-${findingIds[0]}`).textContent()).toContain('Note: Backend adds DELETE in the fork')
    expect(await statusOf(findingIds[0] as number)).toEqual({ status: 'resolved', note: 'Backend adds DELETE in the fork' })
    expect(dialogs).toEqual([])
    // Resolving records what was done; the score stays what the check gave.
    expect((await owner.get(`/api/sessions/${sessionId}`)).body.session.consistency_score).toBe(80)
  })

  it('dismisses one without JavaScript (plain POST and redirect), and offers a fork from its roles', async () => {
    const page = await pageAs(owner, false)
    await page.goto(`/sessions/${sessionId}`)
    const second = page.locator(`#finding-${findingIds[1]}`)
    expect(await second.locator('select[name="from_role"] option').allTextContents()).toEqual(['Frontend Developer', 'Backend Developer'])
    await second.getByLabel('Status').selectOption('dismissed')
    await second.getByLabel('Note').fill('Not a real call')
    await second.getByRole('button', { name: 'Save' }).click()
    await page.waitForURL(new RegExp(`/sessions/${sessionId}#finding-${findingIds[1]}$`))
    expect(await page.locator(`#finding-${findingIds[1]}`).getAttribute('data-status')).toBe('dismissed')
    expect(await statusOf(findingIds[1] as number)).toEqual({ status: 'dismissed', note: 'Not a real call' })
  })

  it('puts the findings in the design document page and in the Markdown and JSON exports', async () => {
    const page = await pageAs(owner, true)
    await page.goto(`/sessions/${sessionId}/document`)
    const section = page.locator('#consistency-findings')
    expect(await section.textContent()).toContain('Frontend calls exist in the backend')
    expect(await section.textContent()).toContain('DELETE /api/invoices/:id')
    const md = (await owner.get(`/api/sessions/${sessionId}/export?format=md`)).text
    expect(md).toContain('## Consistency findings')
    expect(md).toContain('### Frontend calls exist in the backend')
    expect(md).toContain('Frontend Developer, Backend Developer')
    const mdSection = md.slice(md.indexOf('## Consistency findings'), md.indexOf('## Tokens and cost'))
    expect(mdSection).toContain('GET /api/\\<script\\>alert(1)\\</script\\>') // escaped, not raw HTML
    expect(mdSection).not.toContain('<script>')
    const json = (await owner.get(`/api/sessions/${sessionId}/export?format=json`)).body
    expect(json.findings.map((f: { id: number }) => f.id)).toEqual(findingIds)
  })
})
