import type { Server } from 'bun'
import { countAwaitingReviews } from '../../sessions/index.ts'
import type { PageContext, UserView } from '../../views/index.ts'
import { ErrorFragment, ErrorPage } from '../../views/index.ts'
import type { AppDeps } from '../deps.ts'
import { HttpError } from '../errors.ts'
import {
  csrfTokenValid,
  isSecureOrigin,
  isStateChanging,
  type RequestAuth,
  resolveRequestAuth,
  SESSION_COOKIE,
  sessionCookie,
} from '../request-auth.ts'
import { clearFlashCookie, readFlash } from './flash.ts'
import { htmlResponse, isHtmx, pathOf, seeOther, wantsFragment } from './page-response.ts'
import { userView } from './view-data.ts'

/** What a page handler gets: the request, the login (null only on public pages) and the page context. */
export interface PageCall<A extends RequestAuth | null = RequestAuth> {
  request: Request
  url: URL
  auth: A
  ctx: PageContext
  params: Record<string, string>
  /** The parsed urlencoded body of a POST (empty object otherwise). */
  body: Record<string, unknown>
  /** The Bun server (null for `app.handle`), for the client address. */
  server: Server<unknown> | null
}

/** The part of Elysia's handler context a page uses. */
export interface PageRequestContext {
  request: Request
  params?: Record<string, string>
  body?: unknown
  set: { headers: Record<string, unknown> }
  server?: Server<unknown> | null
}

/** The context every full page renders with. */
export function pageContext(request: Request, user: UserView | null, csrfToken: string | null): PageContext {
  return { user, csrf_token: csrfToken, flash: readFlash(request), path: pathOf(request).path }
}

/** Where a request without a login goes: the login page, coming back here afterwards (GETs only). */
export function loginLocation(request: Request): string {
  if (request.method !== 'GET') return '/login'
  const { pathAndQuery } = pathOf(request)
  return pathAndQuery === '/' ? '/login' : `/login?next=${encodeURIComponent(pathAndQuery)}`
}

/**
 * Renders an error as a page (or, for an htmx fragment request, as a fragment): an HttpError keeps
 * its status and message; anything else is logged once and becomes a 500 with the request id.
 */
export async function errorResponse(
  deps: Pick<AppDeps, 'log'>,
  request: Request,
  ctx: PageContext,
  error: unknown,
  requestId: string,
): Promise<Response> {
  let status = 500
  let message: string | undefined
  const headers: Record<string, string> = {}
  if (error instanceof HttpError) {
    status = error.status
    message = error.message
    Object.assign(headers, error.headers)
  } else {
    deps.log.error('unhandled page error', { requestId, method: request.method, path: pathOf(request).path, error })
  }
  if (wantsFragment(request)) return htmlResponse(<ErrorFragment status={status} message={message} />, status, { headers })
  return htmlResponse(<ErrorPage ctx={ctx} status={status} message={message} request_id={status >= 500 ? requestId : undefined} />, status, {
    headers,
  })
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

type Handler<A extends RequestAuth | null> = (call: PageCall<A>) => Promise<Response>

async function run<A extends RequestAuth | null>(
  deps: AppDeps,
  c: PageRequestContext,
  auth: A,
  handler: Handler<A>,
): Promise<Response> {
  const { request } = c
  const ctx = pageContext(request, auth ? userView(auth.user) : null, auth?.csrfToken ?? null)
  const requestId = String(c.set.headers['x-request-id'] ?? '')
  // The nav's review badge, on whole pages only.
  if (auth && request.method === 'GET' && !wantsFragment(request)) ctx.awaiting_reviews = await countAwaitingReviews(deps.db, auth.user.id)
  let response: Response
  try {
    if (auth && isStateChanging(request.method) && !csrfTokenValid(auth, request, c.body)) {
      throw new HttpError(403, 'forbidden', 'The form was missing its security token. Reload the page and try again.')
    }
    response = await handler({ request, url: new URL(request.url), auth, ctx, params: c.params ?? {}, body: record(c.body), server: c.server ?? null })
  } catch (error) {
    response = await errorResponse(deps, request, ctx, error, requestId)
  }
  // The flash has been shown once it went out on a full page.
  if (ctx.flash && response.status !== 303 && !wantsFragment(request)) response.headers.append('set-cookie', clearFlashCookie())
  const setsLogin = response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))
  if (auth?.renewed && !setsLogin) {
    const secure = isSecureOrigin(request, deps.config.APP_ORIGIN)
    response.headers.append('set-cookie', sessionCookie(auth.sessionToken, { secure, maxAgeSeconds: deps.config.SESSION_TTL_SECONDS }))
  }
  return response
}

/**
 * A page that needs a login: without one, a GET goes to /login?next=… (303) and an htmx request
 * navigates there (`HX-Redirect`). A state-changing request must carry the login's CSRF token
 * (the `_csrf` field or the `X-CSRF-Token` header), else 403. Errors render as HTML, never JSON.
 */
export function authedPage(deps: AppDeps, handler: Handler<RequestAuth>): (c: PageRequestContext) => Promise<Response> {
  return async (c) => {
    const auth = await resolveRequestAuth(deps, c.request)
    if (!auth) {
      const location = loginLocation(c.request)
      if (isHtmx(c.request)) return new Response(null, { status: 401, headers: { 'hx-redirect': location } })
      return seeOther(location)
    }
    return run(deps, c, auth, handler)
  }
}

/** A page anyone may see (home, login, signup); `auth` is null when nobody is logged in. */
export function publicPage(deps: AppDeps, handler: Handler<RequestAuth | null>): (c: PageRequestContext) => Promise<Response> {
  return async (c) => run(deps, c, await resolveRequestAuth(deps, c.request), handler)
}
