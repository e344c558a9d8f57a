import { Elysia } from 'elysia'
import { authenticate, createAuthThrottle, LoginBody, loginAccountKey, SignupBody, signUp } from '../auth/index.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'
import { clientIp } from './client-ip.ts'
import { ConflictError, RateLimitedError, UnauthorizedError } from './errors.ts'
import { clearedSessionCookie, isSecureOrigin, readCookie, SESSION_COOKIE, sessionCookie } from './request-auth.ts'
import { documented, LoginResult } from './api-schemas/index.ts'

/**
 * `/api/auth`: signup, login, logout, me, and revoking every session of the caller.
 * Each login gets a new session id (no fixation) and the old cookie's session is
 * deleted server-side.
 */
export function authRoutes(deps: AppDeps) {
  const throttle = createAuthThrottle(deps.rateLimiter, deps.authLimits)
  const ttl = deps.config.SESSION_TTL_SECONDS

  async function startSession(request: Request, userId: number, set: { headers: Record<string, unknown> }): Promise<string> {
    // A login replaces whatever session the browser had.
    const previous = readCookie(request, SESSION_COOKIE)
    if (previous) await deps.sessions.delete(previous)
    const session = await deps.sessions.create(userId)
    set.headers['set-cookie'] = sessionCookie(session.token, { secure: isSecureOrigin(request, deps.config.APP_ORIGIN), maxAgeSeconds: ttl })
    return session.csrfToken
  }

  function endCookie(request: Request, set: { headers: Record<string, unknown> }): void {
    set.headers['set-cookie'] = clearedSessionCookie({ secure: isSecureOrigin(request, deps.config.APP_ORIGIN) })
  }

  return new Elysia({ prefix: '/api/auth', detail: { tags: ['auth'] } })
    .use(authGuard(deps))
    .post(
      '/signup',
      async ({ body, request, server, set }) => {
        const wait = await throttle.beforeSignup(clientIp(request, server, deps.config.TRUST_PROXY), body.username, body.email)
        if (wait !== null) throw new RateLimitedError(wait)
        const result = await signUp(deps.db, body)
        if (!result.ok) {
          throw new ConflictError(
            `That ${result.taken.join(' and ')} ${result.taken.length > 1 ? 'are' : 'is'} already taken.`,
            result.taken.map((field) => ({ field, message: 'is already taken' })),
          )
        }
        const csrfToken = await startSession(request, result.user.id, set)
        set.status = 201
        return { user: result.user, csrf_token: csrfToken }
      },
      { body: SignupBody, detail: documented({ id: 'signUp', summary: 'Create an account and log in', auth: 'public', 201: LoginResult, errors: [409, 429] }) },
    )
    .post(
      '/login',
      async ({ body, request, server, set }) => {
        const account = await loginAccountKey(deps.db, body.username)
        const wait = await throttle.beforeLogin(clientIp(request, server, deps.config.TRUST_PROXY), account)
        if (wait !== null) throw new RateLimitedError(wait)
        const user = await authenticate(deps.db, body.username, body.password)
        if (!user) {
          await throttle.loginFailed(account)
          throw new UnauthorizedError('Wrong username or password.')
        }
        await throttle.loginSucceeded(account)
        const csrfToken = await startSession(request, user.id, set)
        return { user, csrf_token: csrfToken }
      },
      { body: LoginBody, detail: documented({ id: 'logIn', summary: 'Log in with username or email', auth: 'public', 200: LoginResult, errors: [401, 429] }) },
    )
    .post(
      '/logout',
      async ({ auth, request, set }) => {
        await deps.sessions.delete(auth.sessionToken)
        endCookie(request, set)
        set.status = 204
      },
      { auth: true, detail: documented({ id: 'logOut', summary: 'Log out: the session is deleted server-side', 204: null }) },
    )
    .get('/me', ({ auth }) => ({ user: auth.user, csrf_token: auth.csrfToken }), { auth: true, detail: documented({ id: 'getCurrentUser', summary: 'The logged-in user', 200: LoginResult }) })
    .delete(
      '/sessions',
      async ({ auth, request, set }) => {
        await deps.sessions.deleteAllForUser(auth.user.id)
        endCookie(request, set)
        set.status = 204
      },
      { auth: true, detail: documented({ id: 'logOutEverywhere', summary: 'Log out everywhere: revoke every session of the caller', 204: null }) },
    )
}
