import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import type { BrowserContext, Page } from 'playwright-core'
import { type BrowserHarness, hasChromium, launchBrowser } from '../support/browser.ts'
import { type ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'

setDefaultTimeout(120_000)
const root = new URL('../..', import.meta.url).pathname

describe.skipIf(!hasChromium())('session lists and confirmations in Chromium', () => {
  let t: TestApp
  let harness: BrowserHarness
  let base: string
  let ada: ApiClient & { user: { id: number; username: string } }
  let bob: ApiClient & { user: { id: number; username: string } }
  let teamA: number
  let teamB: number
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    const build = Bun.spawnSync(['bun', 'scripts/build-assets.ts'], { cwd: root, stderr: 'pipe' })
    if (build.exitCode !== 0) throw new Error(`build-assets failed: ${build.stderr.toString()}`)
    t = await startTestApp()
    t.app.listen({ port: 0, hostname: '127.0.0.1' })
    base = `http://127.0.0.1:${t.app.server?.port}`
    harness = await launchBrowser()
    ada = (await signUp(t.app)) as typeof ada
    bob = (await signUp(t.app)) as typeof bob
    const { db } = t.deps
    const team = (name: string) =>
      db.insertInto('teams').values({ name, owner_id: ada.user.id, is_shared: true }).returning('id').executeTakeFirstOrThrow()
    teamA = Number((await team('Alpha')).id)
    teamB = Number((await team('Beta')).id)
    await db.insertInto('team_memberships').values({ team_id: teamA, user_id: ada.user.id, role: 'owner' }).execute().catch(() => {})
    await db.insertInto('team_memberships').values({ team_id: teamB, user_id: bob.user.id, role: 'member' }).execute()
    // 30 ended sessions per team: even ones Ada's, odd ones Bob's; every fourth failed.
    for (const teamId of [teamA, teamB]) {
      await sql`
        insert into execution_sessions (team_id, user_id, feature_name, plan, status, started_at, ended_at)
        select ${teamId}::bigint, case when g % 2 = 0 then ${ada.user.id}::bigint else ${bob.user.id}::bigint end,
               ${teamId === teamA ? 'Alpha' : 'Beta'} || ' feature ' || lpad(g::text, 2, '0'),
               (array['dag','parallel','sequential'])[g % 3 + 1], (array['completed','completed','completed','failed'])[g % 4 + 1], now(), now()
        from generate_series(0, 29) as g`.execute(db)
    }
  }, 120_000)

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {})
    await harness?.close()
    await t?.app.stop(true)
    await t?.close()
  })

  /** A page logged in as `who`, with or without JavaScript. */
  async function pageAs(who: ApiClient, options: { js?: boolean; width?: number; height?: number } = {}): Promise<Page> {
    const context = await harness.browser.newContext({
      baseURL: base,
      javaScriptEnabled: options.js ?? true,
      viewport: { width: options.width ?? 1366, height: options.height ?? 900 },
      deviceScaleFactor: 1,
      reducedMotion: 'reduce',
    })
    contexts.push(context)
    await context.addCookies([{ name: 'sage_session', value: who.cookie ?? '', url: base }])
    return context.newPage()
  }

  const rows = (page: Page) => page.locator('#session-results .session-link').allTextContents()

  it('finds 60 sessions of two teams through /sessions filters and pages, without JavaScript', async () => {
    const page = await pageAs(ada, { js: false })
    await page.goto('/')
    await page.getByRole('link', { name: 'All sessions' }).click()
    await page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor()
    expect(await rows(page)).toHaveLength(25)
    expect((await rows(page))[0]).toBe('Beta feature 29')
    // Page through everything: 25 + 25 + 10, each session once.
    const all = new Set(await rows(page))
    await page.getByRole('link', { name: 'Older sessions →' }).click()
    for (const r of await rows(page)) all.add(r)
    await page.getByRole('link', { name: 'Older sessions →' }).click()
    for (const r of await rows(page)) all.add(r)
    expect(await page.getByText('That is the oldest session.').count()).toBe(1)
    expect(all.size).toBe(60)

    // Team Alpha, failed, started by Bob: g odd and g%4=3 → 3, 7, …, 27 (7 sessions), on one page.
    await page.goto('/sessions')
    await page.getByLabel('Team').selectOption({ label: 'Alpha' })
    await page.getByLabel('Status').selectOption('failed')
    await page.getByLabel('Started by').selectOption({ label: bob.user.username })
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL(/status=failed/)
    expect(await rows(page)).toEqual(['Alpha feature 27', 'Alpha feature 23', 'Alpha feature 19', 'Alpha feature 15', 'Alpha feature 11', 'Alpha feature 07', 'Alpha feature 03'])
    expect(new URL(page.url()).searchParams.get('team')).toBe(String(teamA))

    // The next page keeps the filters in its URL: Beta only, 30 → 25 then 5.
    await page.goto(`/sessions?team=${teamB}`)
    await page.getByRole('link', { name: 'Older sessions →' }).click()
    expect(new URL(page.url()).searchParams.get('team')).toBe(String(teamB))
    expect(await rows(page)).toEqual(['Beta feature 04', 'Beta feature 03', 'Beta feature 02', 'Beta feature 01', 'Beta feature 00'])
    await harness.screenshot(page, 'lists-sessions-nojs-1366')
  })

  it('filters and pages with htmx, swapping only the results and pushing the URL', async () => {
    const page = await pageAs(ada)
    await page.goto('/sessions')
    await page.waitForFunction(() => 'htmx' in window)
    await page.evaluate(() => {
      ;(window as unknown as { __mark: string }).__mark = 'kept'
    })
    await page.getByLabel('Feature name').fill('alpha feature 1')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL(/q=alpha/)
    await page.waitForFunction(() => document.querySelectorAll('#session-results .session-link').length === 10)
    expect((await rows(page))[0]).toBe('Alpha feature 19')
    expect(await page.evaluate(() => (window as unknown as { __mark?: string }).__mark)).toBe('kept')
    await page.getByLabel('Feature name').fill('')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForFunction(() => document.querySelectorAll('#session-results .session-link').length === 25)
    await page.getByRole('link', { name: 'Older sessions →' }).click()
    await page.waitForURL(/cursor=/)
    await page.getByRole('heading', { name: 'Older sessions' }).waitFor()
    expect(await rows(page)).toHaveLength(25)
    expect(harness.errors).toEqual([])
    await harness.screenshot(page, 'lists-sessions-js-1366')
    const narrow = await pageAs(ada, { width: 390, height: 844 })
    await narrow.goto('/sessions')
    await harness.screenshot(narrow, 'lists-sessions-390')
  })

  /** A fresh active session of team Alpha, started by Ada. */
  async function activeSession(): Promise<number> {
    const row = await t.deps.db
      .insertInto('execution_sessions')
      .values({ team_id: teamA, user_id: ada.user.id, feature_name: 'Live one', status: 'active', started_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  }
  const statusOf = async (id: number) =>
    (await t.deps.db.selectFrom('execution_sessions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status

  it('asks before cancelling a session with htmx: dismiss keeps it active, accept cancels it', async () => {
    const id = await activeSession()
    const page = await pageAs(ada)
    await page.goto(`/sessions/${id}`)
    await page.waitForFunction(() => 'htmx' in window)
    const asked: string[] = []
    page.once('dialog', (d) => {
      asked.push(d.message())
      void d.dismiss()
    })
    await page.getByRole('button', { name: 'Cancel session' }).click()
    await Bun.sleep(300)
    expect(asked).toEqual(['Cancel this session? Running agents stop.'])
    expect(await statusOf(id)).toBe('active')
    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: 'Cancel session' }).click()
    await page.getByText('Session cancelled', { exact: false }).first().waitFor()
    expect(await statusOf(id)).toBe('cancelled')
  })

  it('shows a confirmation page before completing a session without JavaScript; going back changes nothing', async () => {
    const id = await activeSession()
    const page = await pageAs(ada, { js: false })
    await page.goto(`/sessions/${id}`)
    await page.getByRole('button', { name: 'Complete session' }).click()
    await page.getByRole('heading', { level: 1, name: 'Complete this session?' }).waitFor()
    expect(await statusOf(id)).toBe('active')
    await harness.screenshot(page, 'lists-confirm-nojs-1366')
    await page.getByRole('link', { name: 'Keep it running' }).click()
    expect(await statusOf(id)).toBe('active')
    await page.getByRole('button', { name: 'Complete session' }).click()
    await page.getByRole('button', { name: 'Complete session' }).click()
    await page.waitForURL(`${base}/sessions/${id}`)
    expect(await statusOf(id)).toBe('completed')
  })

  it('asks before removing a member and before leaving a team, with htmx and without JavaScript', async () => {
    const member = async () =>
      t.deps.db.selectFrom('team_memberships').select('role').where('team_id', '=', teamB).where('user_id', '=', bob.user.id).executeTakeFirst()
    const page = await pageAs(ada)
    await page.goto(`/teams/${teamB}`)
    await page.waitForFunction(() => 'htmx' in window)
    const remove = page.getByRole('button', { name: `Remove ${bob.user.username}` })
    page.once('dialog', (d) => void d.dismiss())
    await remove.click()
    await Bun.sleep(300)
    expect(await member()).toBeDefined()

    // Bob, without JavaScript, is asked before leaving and can go back.
    const bobPage = await pageAs(bob, { js: false })
    await bobPage.goto(`/teams/${teamB}`)
    await bobPage.getByRole('button', { name: 'Leave team' }).click()
    await bobPage.getByRole('heading', { level: 1, name: 'Leave this team?' }).waitFor()
    await bobPage.getByRole('link', { name: 'Go back' }).click()
    expect(await member()).toBeDefined()

    page.once('dialog', (d) => void d.accept())
    await remove.click()
    await page.waitForFunction(() => !document.body.textContent?.includes('Remove '))
    expect(await member()).toBeUndefined()
  })

  it('puts the start form on the first screen at 390 px, reached by the skip link in three key presses', async () => {
    const page = await pageAs(ada, { width: 390, height: 844 })
    await page.goto(`/teams/${teamA}`)
    const box = await page.getByLabel('Feature name').boundingBox()
    expect(box).not.toBeNull()
    expect((box?.y ?? 9999) + (box?.height ?? 0)).toBeLessThanOrEqual(844)
    await harness.screenshot(page, 'lists-team-390')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to start a session')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('feature_name')
    const wide = await pageAs(ada)
    await wide.goto(`/teams/${teamA}`)
    await harness.screenshot(wide, 'lists-team-1366')
    // The primary button's focus ring is dark (not the button's own brand colour).
    await wide.getByRole('button', { name: /Start session/ }).focus()
    await wide.keyboard.press('Shift+Tab')
    await wide.keyboard.press('Tab')
    const ring = await wide.evaluate(() => getComputedStyle(document.activeElement as Element).outlineColor)
    const bg = await wide.evaluate(() => getComputedStyle(document.activeElement as Element).backgroundColor)
    expect(ring).not.toBe(bg)
    expect(await wide.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).toBe('solid')
  })
})
