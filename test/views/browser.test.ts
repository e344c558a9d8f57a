import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { Elysia } from 'elysia'
import type { Page } from 'playwright-core'
import { type BrowserHarness, hasChromium, launchBrowser } from '../support/browser.ts'
import { createDemoApp } from './demo-app.tsx'

const root = new URL('../..', import.meta.url).pathname

describe.skipIf(!hasChromium())('views in a real browser (Chromium via playwright-core)', () => {
  let app: Elysia
  let harness: BrowserHarness
  let base: string

  beforeAll(async () => {
    // The page loads /public/app.css and /public/vendor/*.js: build them as `bun run build` does.
    const build = Bun.spawnSync(['bun', 'scripts/build-assets.ts'], { cwd: root, stderr: 'pipe' })
    if (build.exitCode !== 0) throw new Error(`build-assets failed: ${build.stderr.toString()}`)
    app = await createDemoApp()
    app.listen({ port: 0, hostname: '127.0.0.1' })
    base = `http://127.0.0.1:${app.server?.port}`
    harness = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    await harness?.close()
    await app?.stop(true)
  })

  /** Marks the window; the mark survives htmx swaps and dies with a full page load. */
  async function markWindow(page: Page): Promise<void> {
    await page.evaluate(() => {
      ;(window as unknown as { __noReload: string }).__noReload = 'still here'
    })
  }
  async function windowMarked(page: Page): Promise<boolean> {
    return page.evaluate(() => (window as unknown as { __noReload?: string }).__noReload === 'still here')
  }

  it('follows a boosted nav link without a full page load, updating the URL, title and body CSRF header', async () => {
    const page = await harness.newPage({ baseURL: base })
    await page.goto('/')
    await page.waitForFunction(() => 'htmx' in window)
    await markWindow(page)
    expect(await page.getAttribute('body', 'hx-headers:inherited')).toContain('csrf-token-1')

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click()
    await page.waitForURL(`${base}/teams`)
    await page.getByRole('heading', { level: 1, name: 'Teams' }).waitFor()

    expect(await windowMarked(page)).toBe(true)
    expect(await page.title()).toBe('Teams · Sage Mode')
    expect(await page.getAttribute('body', 'hx-headers:inherited')).toContain('csrf-token-2')
    expect(await page.getAttribute('nav[aria-label="Main"] a[href="/teams"]', 'aria-current')).toBe('page')

    await page.goBack()
    await page.getByRole('heading', { level: 1, name: /Hello, ada/ }).waitFor()
    expect(page.url()).toBe(`${base}/`)
  })

  it('applies app.css: component classes, visually hidden text and a visible skip link on focus', async () => {
    const page = await harness.newPage({ baseURL: base })
    await page.goto('/teams/1')
    const style = await page.evaluate(() => {
      const btn = document.querySelector('.btn-primary') as HTMLElement
      const hidden = document.querySelector('.sr-only') as HTMLElement
      const s = getComputedStyle(btn)
      return { bg: s.backgroundColor, color: s.color, radius: s.borderTopLeftRadius, hiddenWidth: getComputedStyle(hidden).width, hiddenPos: getComputedStyle(hidden).position }
    })
    expect(style.bg).not.toBe('rgba(0, 0, 0, 0)')
    expect(style.radius).not.toBe('0px')
    expect(style.hiddenWidth).toBe('1px')
    expect(style.hiddenPos).toBe('absolute')

    await page.keyboard.press('Tab')
    const skip = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement
      const s = getComputedStyle(el)
      return { text: el.textContent, position: s.position, width: el.getBoundingClientRect().width, outline: s.outlineStyle }
    })
    expect(skip.text).toBe('Skip to content')
    expect(skip.position).toBe('fixed')
    expect(skip.width).toBeGreaterThan(50)
    expect(skip.outline).toBe('solid')
  })

  it('applies live SSE fragments to exactly their elements until all seven cards are completed, without reloading', async () => {
    const page = await harness.newPage({ baseURL: base })
    const net: string[] = []
    page.on('request', (r) => net.push(`${r.method()} ${r.url()}`))
    page.on('response', (r) => net.push(`${r.status()} ${r.url()}`))
    page.on('requestfailed', (r) => net.push(`FAILED ${r.url()} ${r.failure()?.errorText}`))
    await page.goto('/sessions/1')
    await page.waitForFunction(() => 'htmx' in window)
    await markWindow(page)

    await page
      .waitForFunction(() => document.querySelectorAll('.agent-card[data-status="completed"]').length === 7, undefined, { timeout: 15_000 })
      .catch(async (e) => {
        const state = await page.evaluate(() => ({
          visibility: document.visibilityState,
          statuses: Array.from(document.querySelectorAll('.agent-card')).map((c) => c.getAttribute('data-status')),
        }))
        throw new Error(`${e}\n${JSON.stringify(state)}\n${net.join('\n')}`)
      })
    expect(await windowMarked(page)).toBe(true)
    // One card per task, never duplicated by the out-of-band swaps.
    expect(await page.locator('.agent-card').count()).toBe(7)
    expect(await page.locator('#task-7 h3').textContent()).toBe('IT Administrator')
    await page.waitForFunction(() => document.querySelectorAll('#timeline-chart rect.gantt-bar-completed').length === 7, undefined, { timeout: 5_000 })
    await expect(page.locator('#live-announcer').textContent()).resolves.toBe('IT Administrator completed')
    expect(await page.locator('#session-progress').getAttribute('data-completed')).toBe('7')
    expect(await page.locator('#session-progress .session-progress-text').textContent()).toBe('7 of 7 agents completed')
    await harness.screenshot(page, 'live-session-completed-1280')
  }, 30_000)

  it('applies a fragment pushed over the WebSocket transport to its card', async () => {
    const page = await harness.newPage({ baseURL: base })
    await page.goto('/sessions/3')
    expect(await page.getAttribute('#session-live', 'hx-ws:connect')).toBe('/ws/sessions/3?after=0')
    await page.waitForFunction(() => document.querySelector('#task-1')?.getAttribute('data-status') === 'completed', undefined, { timeout: 10_000 })
    expect(await page.locator('.agent-card').count()).toBe(7)
    expect(await page.locator('#live-announcer').textContent()).toBe('Software Architect completed')
  })

  it('renders every page without console or CSP errors, and lays out at 360 px without horizontal scrolling', async () => {
    const pages = ['/', '/signup', '/login', '/teams', '/teams/1', '/teams/2', '/sessions/2', '/sessions/1/replay', '/tasks/1', '/decisions', '/dashboard', '/missing']
    const overflowing: string[] = []
    for (const width of [360, 1280]) {
      const page = await harness.newPage({ baseURL: base, width })
      for (const path of pages) {
        await page.goto(path)
        await page.waitForLoadState('load')
        await harness.screenshot(page, `${path === '/' ? 'home' : path.slice(1).replaceAll('/', '-')}-${width}`)
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
        if (overflow > 0) overflowing.push(`${path} at ${width}px: ${overflow}px too wide`)
      }
    }
    expect(overflowing).toEqual([])
    // /missing answers 404 on purpose; Chromium logs that as a console error.
    expect(harness.errors.filter((e) => !e.endsWith('/missing'))).toEqual([])
  }, 60_000)

  it('shows no start-session form to a viewer', async () => {
    const page = await harness.newPage({ baseURL: base })
    await page.goto('/teams/2')
    expect(await page.locator('#start-session-form').count()).toBe(0)
    await page.getByRole('heading', { name: 'Read-only access' }).waitFor()
  })
})
