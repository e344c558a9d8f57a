import { Elysia } from 'elysia'
import type { Config } from '../config/index.ts'
import { ForbiddenError, UnauthorizedError } from './errors.ts'
import {
  csrfTokenValid,
  isSecureOrigin,
  isStateChanging,
  type RequestAuth,
  type RequestAuthDeps,
  resolveRequestAuth,
  sessionCookie,
} from './request-auth.ts'

/** What the JSON API's auth guard needs. */
export interface AuthGuardDeps extends RequestAuthDeps {
  config: Pick<Config, 'APP_ORIGIN' | 'SESSION_TTL_SECONDS'>
}

/**
 * The `auth` macro of the JSON API: `{ auth: true }` on a route resolves `user` and
 * `auth`, answers 401 without a valid login, and 403 when a state-changing request
 * lacks the login's CSRF token. It runs in the transform phase, so a request that is
 * not logged in gets 401 before its body is validated.
 *
 * @example
 * new Elysia().use(authGuard(deps)).get('/api/auth/me', ({ user }) => ({ user }), { auth: true })
 */
export function authGuard(deps: AuthGuardDeps) {
  const resolved = new WeakMap<Request, RequestAuth>()
  return new Elysia().macro({
    auth: {
      async transform({ request, body, set }) {
        const auth = await resolveRequestAuth(deps, request)
        if (!auth) throw new UnauthorizedError()
        if (isStateChanging(request.method) && !csrfTokenValid(auth, request, body)) {
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
