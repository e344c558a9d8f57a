/** Responses of the HTML pages: HTML with a status, 303 redirects, and the htmx request flavours. */
import { withoutBidiControls } from '../../validation/index.ts'

/** Response headers a page adds: cookies go in `cookies` (several `Set-Cookie` lines). */
export interface PageHeaders {
  cookies?: string[]
  headers?: Record<string, string>
}

/** An HTML response; `html` is rendered JSX (awaited here), bidirectional controls removed (user text cannot reorder the page). */
export async function htmlResponse(html: JSX.Element, status = 200, extra: PageHeaders = {}): Promise<Response> {
  const headers = new Headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', vary: 'HX-Request' })
  for (const [k, v] of Object.entries(extra.headers ?? {})) headers.set(k, v)
  for (const c of extra.cookies ?? []) headers.append('set-cookie', c)
  return new Response(withoutBidiControls(await html), { status, headers })
}

/** A `303 See Other` to `location` (a same-site path): the browser follows it with a GET. */
export function seeOther(location: string, extra: PageHeaders = {}): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' })
  for (const [k, v] of Object.entries(extra.headers ?? {})) headers.set(k, v)
  for (const c of extra.cookies ?? []) headers.append('set-cookie', c)
  return new Response(null, { status: 303, headers })
}

/** True for any request htmx made (boosted navigation included). */
export function isHtmx(request: Request): boolean {
  return request.headers.get('hx-request') === 'true'
}

/**
 * True for an htmx request that wants a fragment: an explicit `hx-get`/`hx-post`, not a boosted link
 * or form (those swap the whole body and get the full page).
 */
export function wantsFragment(request: Request): boolean {
  return isHtmx(request) && request.headers.get('hx-boosted') !== 'true'
}

/** The request's path and query, for `?next=` and for marking the current nav item. */
export function pathOf(request: Request): { path: string; pathAndQuery: string } {
  const url = new URL(request.url)
  return { path: url.pathname, pathAndQuery: url.pathname + url.search }
}

// Any origin of ours would do: `next` is resolved against it and must stay on it.
const OWN_ORIGIN = 'http://sage-mode.invalid'

/**
 * `next` as a same-origin path (path, query and fragment, as the URL parser normalizes them),
 * else `/`. Decided by parsing `next` as a URL against our origin, as a browser would read the
 * `Location` (tabs and newlines dropped, `\\` read as `/`), so `/\t/evil.example` is no way out.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000 || !next.startsWith('/')) return '/'
  let url: URL
  try {
    url = new URL(next, OWN_ORIGIN)
  } catch {
    return '/'
  }
  if (url.origin !== OWN_ORIGIN) return '/'
  const path = url.pathname + url.search + url.hash
  // A path that normalizes to `//host` would read as another origin once sent back.
  return path.startsWith('//') || path.startsWith('/\\') ? '/' : path
}
