import { Elysia } from 'elysia'
import { authenticate, createAuthThrottle, LoginBody, loginAccountKey, SignupBody, signUp } from '../../auth/index.ts'
import { LoginPage, SignupPage } from '../../views/index.ts'
import type { AppDeps } from '../deps.ts'
import { clientIp } from '../client-ip.ts'
import { RateLimitedError } from '../errors.ts'
import { clearedSessionCookie, isSecureOrigin, readCookie, SESSION_COOKIE, sessionCookie } from '../request-auth.ts'
import { flashCookie } from './flash.ts'
import { field, formValuesOf, parseForm } from './form-parse.ts'
import { authedPage, publicPage } from './page-handler.tsx'
import { htmlResponse, safeNext, seeOther } from './page-response.ts'

const SIGNUP_LABELS = { username: 'Username', email: 'Email', password: 'Password' }
const LOGIN_LABELS = { username: 'Username or email', password: 'Password' }

/**
 * `/signup`, `/login`, `/logout` as HTML forms that work without JavaScript: a POST answers 303 on
 * success and re-renders the form with its errors (422, 401, 429) otherwise. Rate limits and
 * session handling are the JSON API's (same throttle, same session store).
 */
export function authPages(deps: AppDeps) {
  const throttle = createAuthThrottle(deps.rateLimiter, deps.authLimits)

  // A login replaces whatever session the browser had (no fixation).
  async function loginCookie(request: Request, userId: number): Promise<string> {
    const previous = readCookie(request, SESSION_COOKIE)
    if (previous) await deps.sessions.delete(previous)
    const session = await deps.sessions.create(userId)
    return sessionCookie(session.token, {
      secure: isSecureOrigin(request, deps.config.APP_ORIGIN),
      maxAgeSeconds: deps.config.SESSION_TTL_SECONDS,
    })
  }

  return new Elysia({ name: 'auth-pages' })
    .get(
      '/signup',
      publicPage(deps, async ({ auth, ctx }) => (auth ? seeOther('/') : htmlResponse(<SignupPage ctx={ctx} />))),
    )
    .post(
      '/signup',
      publicPage(deps, async ({ request, body, ctx, server }) => {
        const input = { username: field(body, 'username').trim(), email: field(body, 'email').trim(), password: field(body, 'password') }
        const form = parseForm(SignupBody, input, body, SIGNUP_LABELS)
        if (!form.ok) return htmlResponse(<SignupPage ctx={ctx} values={form.values} errors={form.errors} />, 422)
        const wait = await throttle.beforeSignup(clientIp(request, server, deps.config.TRUST_PROXY), form.data.username, form.data.email)
        if (wait !== null) throw new RateLimitedError(wait)
        const result = await signUp(deps.db, form.data)
        if (!result.ok) {
          const errors = Object.fromEntries(result.taken.map((f) => [f, `${SIGNUP_LABELS[f]} is already taken.`]))
          return htmlResponse(<SignupPage ctx={ctx} values={formValuesOf(body)} errors={errors} />, 422)
        }
        return seeOther('/', { cookies: [await loginCookie(request, result.user.id), flashCookie('welcome')] })
      }),
    )
    .get(
      '/login',
      publicPage(deps, async ({ auth, ctx, url }) => {
        const next = safeNext(url.searchParams.get('next') ?? '/')
        if (auth) return seeOther(next)
        return htmlResponse(<LoginPage ctx={ctx} next={next === '/' ? undefined : next} />)
      }),
    )
    .post(
      '/login',
      publicPage(deps, async ({ request, body, ctx, server }) => {
        const next = safeNext(field(body, 'next') || '/')
        const shownNext = next === '/' ? undefined : next
        const form = parseForm(LoginBody, { username: field(body, 'username').trim(), password: field(body, 'password') }, body, LOGIN_LABELS)
        if (!form.ok) return htmlResponse(<LoginPage ctx={ctx} values={form.values} errors={form.errors} next={shownNext} />, 422)
        const account = await loginAccountKey(deps.db, form.data.username)
        const wait = await throttle.beforeLogin(clientIp(request, server, deps.config.TRUST_PROXY), account)
        if (wait !== null) {
          const errors = { _form: `Too many attempts. Try again in ${Math.max(1, Math.ceil(wait))} seconds.` }
          return htmlResponse(<LoginPage ctx={ctx} values={formValuesOf(body)} errors={errors} next={shownNext} />, 429, {
            headers: { 'retry-after': String(Math.max(1, Math.ceil(wait))) },
          })
        }
        const user = await authenticate(deps.db, form.data.username, form.data.password)
        if (!user) {
          await throttle.loginFailed(account)
          const errors = { _form: 'Wrong username or password.' }
          return htmlResponse(<LoginPage ctx={ctx} values={formValuesOf(body)} errors={errors} next={shownNext} />, 401)
        }
        await throttle.loginSucceeded(account)
        return seeOther(next, { cookies: [await loginCookie(request, user.id), flashCookie('logged_in')] })
      }),
    )
    .post(
      '/logout',
      authedPage(deps, async ({ request, auth }) => {
        await deps.sessions.delete(auth.sessionToken)
        const cleared = clearedSessionCookie({ secure: isSecureOrigin(request, deps.config.APP_ORIGIN) })
        return seeOther('/', { cookies: [cleared, flashCookie('logged_out')] })
      }),
    )
}
