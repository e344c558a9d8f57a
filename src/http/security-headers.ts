import { Elysia } from 'elysia'

/**
 * Only same-origin scripts (htmx is served from `public/`), no inline script, no
 * plugins, no framing; SSE and WebSocket go to the same origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
}

// Responses that hold personal data or credentials must not be cached by browsers or proxies.
const NO_STORE = /^\/(api(\/|$)|login|signup|logout)/

/** Options of securityHeaders(). */
export interface SecurityHeadersOptions {
  /** Send Strict-Transport-Security (the app is served over HTTPS). */
  hsts: boolean
}

/**
 * Sets the security headers on every response, errors and 404s included (they are
 * set in `onRequest`, before routing, and Elysia merges them into every response).
 */
export function securityHeaders(options: SecurityHeadersOptions) {
  return new Elysia({ name: 'security-headers' }).onRequest(({ request, set }) => {
    Object.assign(set.headers, HEADERS)
    if (options.hsts) set.headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains'
    const path = new URL(request.url).pathname
    if (NO_STORE.test(path)) set.headers['cache-control'] = 'no-store'
  })
}
