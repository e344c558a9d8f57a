import { describe, expect, it } from 'bun:test'
import { Layout, StatusBadge } from '../../src/views/index.ts'
import { demoCtx } from './demo-data.ts'

describe('Layout', () => {
  it('loads only the three same-origin scripts and no inline script or handler', async () => {
    const html = await (<Layout title="T" ctx={demoCtx('/')}>x</Layout>)
    const scripts = [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0])
    expect(scripts).toEqual([
      '<script src="/public/vendor/htmx.min.js">',
      '<script src="/public/vendor/ext/hx-sse.js">',
      '<script src="/public/vendor/ext/hx-ws.js">',
    ])
    expect(html).not.toMatch(/<script[^>]*>[^<]/)
    expect(html).not.toMatch(/\son[a-z]+=/)
    expect(html).not.toContain('style=')
  })

  it('starts with a doctype and configures htmx to load only sse and ws without injecting CSS', async () => {
    const html = await (<Layout title="T" ctx={demoCtx('/')}>x</Layout>)
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true)
    expect(html).toContain('<meta name="htmx-config" content="{&#34;extensions&#34;:&#34;sse, ws&#34;,&#34;includeIndicatorCSS&#34;:false}"/>')
  })

  it('puts the CSRF token on <body> as an inherited htmx header when logged in', async () => {
    const html = await (<Layout title="T" ctx={demoCtx('/', 'tok')}>x</Layout>)
    expect(html).toContain('<body hx-headers:inherited="{&#34;X-CSRF-Token&#34;:&#34;tok&#34;}">')
  })

  it('has no CSRF header and no main nav when logged out', async () => {
    const html = await (<Layout title="T" ctx={{ user: null, csrf_token: null, path: '/' }}>x</Layout>)
    expect(html).toContain('<body>')
    expect(html).not.toContain('aria-label="Main"')
    expect(html).toContain('href="/signup"')
  })

  it('opens with a skip link to the focusable main region and marks the current nav item', async () => {
    const html = await (<Layout title="T" ctx={demoCtx('/teams/4')}>x</Layout>)
    expect(html).toContain('<a href="#main" class="skip-link">Skip to content</a>')
    expect(html).toContain('<main id="main" tabindex="-1"')
    expect(html).toContain('<a href="/teams" aria-current="page">Teams</a>')
    expect(html).toContain('<a href="/">Home</a>')
  })

  it('escapes the page title', async () => {
    const html = await (<Layout title="<b>" ctx={demoCtx('/')}>x</Layout>)
    expect(html).toContain('<title>&lt;b&gt; · Sage Mode</title>')
  })
})

describe('StatusBadge', () => {
  it('shows the status as text as well as colour', async () => {
    expect(await (<StatusBadge status="running" />)).toBe(
      '<span class="badge badge-running"><span class="badge-dot" aria-hidden="true"></span><span>Running</span></span>',
    )
  })

  it('falls back to a neutral style for an unknown status', async () => {
    expect(await (<StatusBadge status="weird" />)).toContain('badge-other')
  })
})
