import type { PropsWithChildren } from '@kitajs/html'
import { Alert } from '../components/index.ts'
import type { PageContext } from '../view-types.ts'
import { BOOST, SiteHeader } from './nav.view.tsx'

/**
 * htmx settings for every page. Only the SSE and WS extensions may load; htmx must not inject its
 * indicator <style> (app.css styles `.htmx-indicator`), so a CSP without 'unsafe-inline' styles holds.
 */
export const HTMX_CONFIG = JSON.stringify({ extensions: 'sse, ws', includeIndicatorCSS: false })

/** Props of {@link Layout}. */
export interface LayoutProps {
  title: string
  ctx: PageContext
  /** Wider main column for dashboards and live sessions. */
  wide?: boolean
  /** A second skip link to the page's main task (e.g. a team's start-session form). */
  skip_to?: { href: string; label: string } | undefined
  /**
   * Without JavaScript, reload (or go to `url`) after `seconds`: a `<noscript>` meta refresh, so a
   * live page or a playing replay keeps moving when htmx cannot run. Pages with htmx ignore it.
   */
  noscript_refresh?: { seconds: number; url?: string } | undefined
}

/**
 * The HTML document around every page: CSP-safe (same-origin scripts only, no inline script or
 * handler), a skip link, the boosted site header, the flash, and `<main id="main">`. When someone
 * is logged in, `<body>` carries their CSRF token as an inherited htmx header.
 */
export function Layout(props: PropsWithChildren<LayoutProps>): JSX.Element {
  const { ctx } = props
  const headers = ctx.user && ctx.csrf_token ? JSON.stringify({ 'X-CSRF-Token': ctx.csrf_token }) : undefined
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${props.title} · Sage Mode`}</title>
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <meta name="color-scheme" content="light" />
          <link rel="icon" href="/public/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/public/app.css" />
          {props.noscript_refresh ? (
            <noscript>
              <meta
                http-equiv="refresh"
                content={`${props.noscript_refresh.seconds}${props.noscript_refresh.url ? `;url=${props.noscript_refresh.url}` : ''}`}
              />
            </noscript>
          ) : (
            ''
          )}
          {/* Not deferred: a deferred htmx starts on a timer once the document is parsed, which can
              fire before a deferred extension has loaded, and then `hx-sse:connect` is never seen.
              Parser-blocking, htmx waits for DOMContentLoaded, after both extensions registered. */}
          <script src="/public/vendor/htmx.min.js"></script>
          <script src="/public/vendor/ext/hx-sse.js"></script>
          <script src="/public/vendor/ext/hx-ws.js"></script>
        </head>
        <body hx-headers:inherited={headers}>
          <a href="#main" class="skip-link">
            Skip to content
          </a>
          {props.skip_to ? (
            <a href={props.skip_to.href} class="skip-link" safe>
              {props.skip_to.label}
            </a>
          ) : (
            ''
          )}
          <SiteHeader user={ctx.user} csrf_token={ctx.csrf_token} path={ctx.path} awaiting_reviews={ctx.awaiting_reviews ?? 0} />
          <main id="main" tabindex="-1" class={['page', props.wide ? 'page-wide' : '']} hx-boost:inherited={BOOST}>
            {ctx.flash ? <Alert kind={ctx.flash.kind} message={ctx.flash.message} id="flash" /> : ''}
            {props.children}
          </main>
          <footer class="site-footer">
            <p>Sage Mode · a simulated development team of seven agents</p>
          </footer>
        </body>
      </html>
    </>
  )
}
