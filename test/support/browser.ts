/**
 * A playwright-core harness around Debian's Chromium (`/usr/bin/chromium`; `npx playwright install`
 * cannot run here). Each harness is one headless browser with a fresh profile (Playwright's
 * `launch()` creates a temporary user-data-dir and deletes it on close); each `newPage()` gets its
 * own context, so two pages can be two different users. Screenshots go to test-results/screenshots/.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'

/** Where CI keeps screenshots (gitignored). */
export const SCREENSHOT_DIR = join(import.meta.dir, '../../test-results/screenshots')

/** Debian's Chromium; override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
]

/** Options of {@link BrowserHarness.newPage}. */
export interface NewPageOptions {
  /** Viewport width in CSS px; 1280 unless given. */
  width?: number
  height?: number
  /** Prefix for relative `page.goto()` URLs. */
  baseURL?: string
}

/** A running browser, with helpers to open isolated pages, take screenshots and collect page errors. */
export interface BrowserHarness {
  browser: Browser
  /** A page in a fresh context (own cookies and storage). */
  newPage(options?: NewPageOptions): Promise<Page>
  /** Saves a full-page PNG as `<name>.png` under {@link SCREENSHOT_DIR}; returns the path. */
  screenshot(page: Page, name: string): Promise<string>
  /** Uncaught page errors and console errors (`… at <url>`) seen so far, across every page. */
  errors: string[]
  /** Closes every context and the browser; safe to call twice. */
  close(): Promise<void>
}

/** True when the Chromium binary exists, so suites can `describe.skipIf(!hasChromium())`. */
export function hasChromium(): boolean {
  return Bun.file(CHROMIUM_PATH).size > 0
}

/** Launches headless Chromium with the project's flags. Call `close()` in afterAll. */
export async function launchBrowser(): Promise<BrowserHarness> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS })
  const contexts: BrowserContext[] = []
  const errors: string[] = []
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  let closed = false
  return {
    browser,
    errors,
    async newPage(options = {}) {
      const context = await browser.newContext({
        viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
        baseURL: options.baseURL,
        // Screenshots stay crisp and comparable across machines.
        deviceScaleFactor: 1,
        reducedMotion: 'reduce',
      })
      contexts.push(context)
      const page = await context.newPage()
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()} at ${m.location().url}`)
      })
      return page
    },
    async screenshot(page, name) {
      const path = join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`)
      await page.screenshot({ path, fullPage: true, animations: 'disabled' })
      return path
    },
    async close() {
      if (closed) return
      closed = true
      for (const c of contexts) await c.close().catch(() => {})
      await browser.close()
    },
  }
}
