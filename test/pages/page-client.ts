/** A no-JavaScript browser for the HTML routes: keeps the login cookie, posts urlencoded forms, never follows redirects. */
import type { App } from '../../src/http/index.ts'
import { type ApiClient, req } from '../support/http.ts'

/** Form fields; a list sends the field once per value (checkbox groups). */
export type FormFields = Record<string, string | string[]>

/** Options of one page request. */
export interface PageRequestOptions {
  /** Send the login's CSRF token as the `_csrf` field (default true when logged in). */
  csrf?: boolean
  /** Send the request as htmx would (`HX-Request: true`), optionally boosted. */
  htmx?: 'fragment' | 'boosted'
  headers?: Record<string, string>
}

/** A page response with its body read. */
export interface PageResponse {
  status: number
  headers: Headers
  html: string
  location: string | null
}

/** Encodes fields as `application/x-www-form-urlencoded`, repeating list fields. */
export function formBody(fields: FormFields): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one)
  return params.toString()
}

/** A cookie-keeping client for pages; build it from a logged-in ApiClient or anonymous. */
export class PageClient {
  cookie: string | null
  csrf: string | null
  /** Other cookies the server set (the flash). */
  readonly jar = new Map<string, string>()

  constructor(
    readonly app: App,
    from?: ApiClient,
  ) {
    this.cookie = from?.cookie ?? null
    this.csrf = from?.csrf ?? null
  }

  private async send(method: string, path: string, body: string | undefined, options: PageRequestOptions): Promise<PageResponse> {
    const headers: Record<string, string> = { accept: 'text/html', ...options.headers }
    const cookies = [...this.jar].map(([k, v]) => `${k}=${v}`)
    if (this.cookie) cookies.push(`sage_session=${this.cookie}`)
    if (cookies.length) headers.cookie = cookies.join('; ')
    if (options.htmx) headers['hx-request'] = 'true'
    if (options.htmx === 'boosted') headers['hx-boosted'] = 'true'
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
    const res = await req(this.app, path, { method, headers, ...(body !== undefined ? { body } : {}) })
    for (const c of res.headers.getSetCookie()) {
      const m = /^([^=]+)=([^;]*)/.exec(c)
      if (!m?.[1]) continue
      if (m[1] === 'sage_session') this.cookie = m[2] ? m[2] : null
      else if (m[2]) this.jar.set(m[1], m[2])
      else this.jar.delete(m[1])
    }
    return { status: res.status, headers: res.headers, html: await res.text(), location: res.headers.get('location') }
  }

  get(path: string, options: PageRequestOptions = {}): Promise<PageResponse> {
    return this.send('GET', path, undefined, options)
  }

  /** Posts a form; adds `_csrf` unless `csrf: false`. */
  post(path: string, fields: FormFields = {}, options: PageRequestOptions = {}): Promise<PageResponse> {
    const withToken = options.csrf !== false && this.csrf ? { _csrf: this.csrf, ...fields } : fields
    return this.send('POST', path, formBody(withToken), options)
  }
}
