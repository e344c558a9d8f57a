import type { Kysely } from 'kysely'
import { authenticateApiToken, bearerSecret, findUserById, type PublicUser, type SessionStore, tokensEqual } from '../auth/index.ts'
import type { Database } from '../db/index.ts'
import { CSRF_FIELD } from '../views/index.ts'

/** Name of the login cookie. */
export const SESSION_COOKIE = 'sage_session'

/** Name of the form field plain HTML forms carry the CSRF token in (defined beside the views that write it). */
export { CSRF_FIELD }

/** Name of the header htmx and API clients carry the CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token'

/** Who is making a request, from their session cookie. */
export interface RequestAuth {
  user: PublicUser
  /** The CSRF token bound to this login; pages put it in forms and in htmx's `X-CSRF-Token`. */
  csrfToken: string
  /** The raw cookie token (to log out this session). */
  sessionToken: string
  expiresAt: Date
  /** The session's expiry moved: re-send the cookie so the browser keeps it as long. */
  renewed: boolean
  /** The personal API token the request authenticated with (`Authorization: Bearer`); absent for the cookie. */
  apiTokenId?: number
}

/** What resolving a request's login needs. */
export interface RequestAuthDeps {
  db: Kysely<Database>
  sessions: SessionStore
}

/** The value of cookie `name` in the request's `Cookie` header; null when absent. */
export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get('cookie')
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim()
      try {
        return decodeURIComponent(value)
      } catch {
        return value
      }
    }
  }
  return null
}

/**
 * The logged-in user of `request` (from the `sage_session` cookie) and their CSRF
 * token; null when there is no valid session or its user is gone. Never throws for a
 * bad cookie and never decides the response: the JSON API answers 401, pages
 * redirect to /login.
 */
export async function resolveRequestAuth(deps: RequestAuthDeps, request: Request): Promise<RequestAuth | null> {
  const token = readCookie(request, SESSION_COOKIE)
  if (!token) return null
  const session = await deps.sessions.validate(token)
  if (!session) return null
  const user = await findUserById(deps.db, session.userId)
  if (!user) {
    await deps.sessions.delete(token)
    return null
  }
  return { user, csrfToken: session.csrfToken, sessionToken: token, expiresAt: session.expiresAt, renewed: session.renewed }
}

/** True when the request carries `Authorization: Bearer …`: then it is judged by its token alone, never its cookie. */
export function hasBearer(request: Request): boolean {
  return bearerSecret(request.headers.get('authorization')) !== null
}

/**
 * The JSON API's login: with `Authorization: Bearer <secret>`, the personal API token's
 * user (null when the token is unknown, revoked or expired: the cookie is then not
 * consulted); otherwise the cookie's, as resolveRequestAuth. HTML pages use the cookie only.
 */
export async function resolveApiAuth(deps: RequestAuthDeps, request: Request): Promise<RequestAuth | null> {
  const secret = bearerSecret(request.headers.get('authorization'))
  if (secret === null) return resolveRequestAuth(deps, request)
  const found = await authenticateApiToken(deps.db, secret)
  if (!found) return null
  const expiresAt = found.token.expires_at ? new Date(found.token.expires_at) : new Date(8_640_000_000_000_000)
  return { user: found.user, csrfToken: '', sessionToken: '', expiresAt, renewed: false, apiTokenId: found.token.id }
}

/** True for methods that change state (everything but GET, HEAD, OPTIONS). */
export function isStateChanging(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())
}

/**
 * The CSRF token a request carries: the `X-CSRF-Token` header, or the `_csrf` field
 * of a parsed urlencoded or multipart body (plain HTML forms).
 */
export function csrfTokenOf(request: Request, body: unknown): string | null {
  const header = request.headers.get(CSRF_HEADER)
  if (header) return header
  const type = request.headers.get('content-type') ?? ''
  const isForm = type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')
  if (isForm && body && typeof body === 'object' && CSRF_FIELD in body) {
    const value = (body as Record<string, unknown>)[CSRF_FIELD]
    return typeof value === 'string' ? value : null
  }
  return null
}

/** True when the request carries the CSRF token of its login (constant-time comparison). */
export function csrfTokenValid(auth: Pick<RequestAuth, 'csrfToken'>, request: Request, body: unknown): boolean {
  const given = csrfTokenOf(request, body)
  return given !== null && tokensEqual(given, auth.csrfToken)
}

/** Cookie attributes: httpOnly, SameSite=Lax, path /, Secure over HTTPS. */
export interface SessionCookieOptions {
  secure: boolean
  maxAgeSeconds: number
}

/** A `Set-Cookie` value that stores the session token. */
export function sessionCookie(token: string, options: SessionCookieOptions): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${options.maxAgeSeconds}${options.secure ? '; Secure' : ''}`
}

/** A `Set-Cookie` value that removes the session cookie. */
export function clearedSessionCookie(options: Pick<SessionCookieOptions, 'secure'>): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT${options.secure ? '; Secure' : ''}`
}

/** True when the app is reached over HTTPS (APP_ORIGIN says so, or the request URL does). */
export function isSecureOrigin(request: Request, appOrigin: string | undefined): boolean {
  return (appOrigin ?? request.url).startsWith('https:')
}
