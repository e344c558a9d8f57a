import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { Page } from 'playwright-core'
import { type BrowserHarness, hasChromium, launchBrowser } from '../support/browser.ts'
import { uniqueName } from '../support/http.ts'
import { buildAssets, type E2EService, startE2EService } from '../e2e/e2e-service.ts'

const PASSWORD = 'correct horse battery'

async function signUpInBrowser(page: Page, username: string): Promise<void> {
  await page.goto('/signup')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Email').fill(`${username}@example.test`)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('heading', { level: 1, name: `Hello, ${username}` }).waitFor()
}

/** Calls the JSON API as the page's user (its cookies, and the CSRF token the page carries). */
async function api(page: Page, method: 'POST' | 'GET', path: string, data?: unknown): Promise<any> {
  const headers = JSON.parse((await page.locator('body').getAttribute('hx-headers:inherited')) ?? '{}') as Record<string, string>
  const res = await page.request.fetch(path, { method, headers: { 'x-csrf-token': headers['X-CSRF-Token'] ?? '' }, ...(data ? { data } : {}) })
  if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`)
  return res.json()
}

async function markWindow(page: Page): Promise<void> {
  await page.evaluate(() => {
    ;(window as unknown as { __sage: string }).__sage = 'same document'
  })
}
const sameDocument = (page: Page): Promise<boolean> => page.evaluate(() => (window as unknown as { __sage?: string }).__sage === 'same document')

/** Waits until the card of `taskId` shows `status`. */
const cardIs = (page: Page, taskId: number, status: string): Promise<unknown> =>
  page.locator(`#task-${taskId}[data-status="${status}"]`).waitFor({ timeout: 30_000 })

describe.skipIf(!hasChromium())('reviewing in a real browser (Chromium, the whole service)', () => {
  let service: E2EService
  let harness: BrowserHarness

  beforeAll(async () => {
    buildAssets()
    service = await startE2EService('review', { SIM_LATENCY_MS: '700-900' })
    harness = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await harness?.close()
    await service?.stop()
  }, 60_000)

  it('two users on one session: changes seen live by the other, approve, the session completes; a review without JavaScript', async () => {
    const alice = uniqueName('alice')
    const bob = uniqueName('bob')
    const a = await harness.newPage({ baseURL: service.base })
    const b = await harness.newPage({ baseURL: service.base })
    await signUpInBrowser(a, alice)
    await signUpInBrowser(b, bob)
    const team = (await api(a, 'POST', '/api/teams', { name: 'Reviewers' })).team
    await api(a, 'POST', `/api/teams/${team.id}/invite`, { username: bob, role: 'member' })
    const start = { team_id: team.id, feature_name: 'Invoice export', plan: 'sequential', agents: ['software_architect', 'backend_developer'], review: 'all' }
    const session = (await api(a, 'POST', '/api/sessions', start)).session
    const tasks = (await api(a, 'GET', `/api/sessions/${session.id}/tasks`)) as Array<{ id: number; agent_role: string }>
    const architect = tasks.find((t) => t.agent_role === 'software_architect')?.id as number
    const backend = tasks.find((t) => t.agent_role === 'backend_developer')?.id as number

    await a.goto(`/sessions/${session.id}`)
    await b.goto(`/sessions/${session.id}`)
    await markWindow(b)
    await cardIs(a, architect, 'awaiting_review')
    await cardIs(b, architect, 'awaiting_review')
    // A fresh page shows the nav's badge and the home page's list of what awaits Bob's review.
    const home = await (await b.request.get('/')).text()
    expect(home).toContain('1 to review')
    expect(home).toContain(`/sessions/${session.id}#task-${architect}`)

    const card = a.locator(`#task-${architect}`)
    await card.getByRole('textbox', { name: 'Comment' }).fill('Use event sourcing for the ledger.')
    await card.getByRole('button', { name: 'Send verdict' }).click()
    // Bob's page, untouched: the card runs again, then waits for review again.
    await cardIs(b, architect, 'running')
    await cardIs(b, architect, 'awaiting_review')
    expect(await sameDocument(b)).toBe(true)
    expect(await b.locator('#session-reviews').textContent()).toContain('Requested changes')

    await b.locator(`#task-${architect}`).getByRole('button', { name: 'Approve' }).click()
    await cardIs(a, backend, 'awaiting_review')
    await a.locator(`#task-${backend}`).getByRole('button', { name: 'Approve' }).click()
    await a.locator('#session-status').getByText('Completed', { exact: true }).waitFor({ timeout: 30_000 })
    const reviews = (await api(a, 'GET', `/api/tasks/${architect}/reviews`)) as Array<{ verdict: string; reviewer: string; attempt: number }>
    expect(reviews.map((r) => [r.attempt, r.verdict, r.reviewer])).toEqual([
      [1, 'changes', alice],
      [2, 'approve', bob],
    ])

    // Without JavaScript: the plain form posts and redirects back with the verdict recorded.
    const second = (await api(a, 'POST', '/api/sessions', { ...start, agents: ['software_architect'] })).session
    const secondTask = ((await api(a, 'GET', `/api/sessions/${second.id}/tasks`)) as Array<{ id: number }>)[0]?.id as number
    const context = await harness.browser.newContext({ javaScriptEnabled: false, baseURL: service.base })
    const plain = await context.newPage()
    await plain.goto('/login')
    await plain.getByLabel('Username or email').fill(bob)
    await plain.getByLabel('Password').fill(PASSWORD)
    await plain.getByRole('button', { name: 'Log in' }).click()
    await plain.getByRole('heading', { level: 1, name: `Hello, ${bob}` }).waitFor()
    for (let i = 0; i < 100; i++) {
      await plain.goto(`/sessions/${second.id}`)
      if ((await plain.locator(`#task-${secondTask}[data-status="awaiting_review"]`).count()) === 1) break
      await Bun.sleep(300)
    }
    // The page does not reload itself while a verdict is being written.
    expect(await plain.locator('meta[http-equiv="refresh"]').count()).toBe(0)
    await plain.locator(`#task-${secondTask}`).getByRole('button', { name: 'Approve' }).click()
    await plain.getByText('Verdict recorded.').waitFor()
    expect(new URL(plain.url()).pathname).toBe(`/sessions/${second.id}`)
    const after = (await api(a, 'GET', `/api/tasks/${secondTask}/reviews`)) as Array<{ verdict: string; reviewer: string }>
    expect(after).toMatchObject([{ verdict: 'approve', reviewer: bob }])
    await context.close()
    expect(harness.errors).toEqual([])
  }, 120_000)
})
