import { Elysia } from 'elysia'
import { ForbiddenError } from './errors.ts'
import { hasBearer, isStateChanging } from './request-auth.ts'

/** The origin the app is served from: APP_ORIGIN when set, otherwise the one the request was addressed to. */
export function expectedOrigin(request: Request, appOrigin: string | undefined): string {
  return new URL(appOrigin ?? request.url).origin
}

/** True when the request is a WebSocket upgrade. */
function isUpgrade(request: Request): boolean {
  return request.headers.get('upgrade')?.toLowerCase() === 'websocket'
}

/**
 * Cross-site request forgery, first line: a state-changing request or WebSocket
 * upgrade whose `Origin` is present and is not the app's own is 403, before routing.
 * Requests without `Origin` (API clients) are left to the CSRF token check. A JSON API
 * request with `Authorization: Bearer` is skipped: it is judged by its token alone, never a cookie.
 */
export function originCheck(appOrigin: string | undefined) {
  return new Elysia({ name: 'origin-check' }).onRequest(({ request }) => {
    if (!isStateChanging(request.method) && !isUpgrade(request)) return
    if (hasBearer(request) && new URL(request.url).pathname.startsWith('/api/')) return
    const origin = request.headers.get('origin')
    if (origin !== null && origin !== expectedOrigin(request, appOrigin)) {
      throw new ForbiddenError('Cross-origin request refused.')
    }
  })
}
