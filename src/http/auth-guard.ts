import { Elysia } from 'elysia'
import { type AuthLimits, createApiTokenThrottle, type RateLimiter } from '../auth/index.ts'
import type { Config } from '../config/index.ts'
import { clientIp } from './client-ip.ts'
import { ForbiddenError, RateLimitedError, UnauthorizedError } from './errors.ts'
import {
  csrfTokenValid,
  hasBearer,
  isSecureOrigin,
  isStateChanging,
  type RequestAuth,
  type RequestAuthDeps,
  resolveApiAuth,
  sessionCookie,
} from './request-auth.ts'

/** What the JSON API's auth guard needs. */
export interface AuthGuardDeps extends RequestAuthDeps {
  config: Pick<Config, 'APP_ORIGIN' | 'SESSION_TTL_SECONDS' | 'TRUST_PROXY'>
  /** Counts bearer secrets that fail, as logins count wrong passwords. */
  rateLimiter: RateLimiter
  authLimits?: AuthLimits
}

/**
 * The `auth` macro of the JSON API: `{ auth: true }` on a route resolves `user` and
 * `auth`, answers 401 without a valid login, and 403 when a state-changing request
 * lacks the login's CSRF token. A request with `Authorization: Bearer` is judged by
 * its personal API token alone and needs no CSRF token; too many failing bearer
 * secrets from one address are 429. It runs in the transform phase, so a request that
 * is not logged in gets 401 before its body is validated.
 *
 * @example
 * new Elysia().use(authGuard(deps)).get('/api/auth/me', ({ user }) => ({ user }), { auth: true })
 */
export function authGuard(deps: AuthGuardDeps) {
  const resolved = new WeakMap<Request, RequestAuth>()
  const throttle = createApiTokenThrottle(deps.rateLimiter, deps.authLimits)
  return new Elysia().macro({
    auth: {
      async transform({ request, body, set, server }) {
        const bearer = hasBearer(request)
        const ip = bearer ? clientIp(request, server ?? null, deps.config.TRUST_PROXY) : null
        if (bearer) {
          const wait = await throttle.check(ip)
          if (wait !== null) throw new RateLimitedError(wait)
        }
        const auth = await resolveApiAuth(deps, request)
        if (!auth) {
          if (bearer) {
            await throttle.failed(ip)
            throw new UnauthorizedError('The API token is not valid: it is unknown, revoked or expired.')
          }
          throw new UnauthorizedError()
        }
        if (auth.apiTokenId === undefined && isStateChanging(request.method) && !csrfTokenValid(auth, request, body)) {
          throw new ForbiddenError('Missing or invalid CSRF token.')
        }
        if (auth.renewed) {
          set.headers['set-cookie'] = sessionCookie(auth.sessionToken, {
            secure: isSecureOrigin(request, deps.config.APP_ORIGIN),
            maxAgeSeconds: deps.config.SESSION_TTL_SECONDS,
          })
        }
        resolved.set(request, auth)
      },
      resolve({ request }) {
        const auth = resolved.get(request)
        if (!auth) throw new UnauthorizedError()
        return { auth, user: auth.user }
      },
    },
  })
}
