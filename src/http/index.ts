export { createApp, createOpsApp } from './app.ts'
export type { App } from './app.ts'
export type { AppDeps } from './deps.ts'
export {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  HttpError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
} from './errors.ts'
export type { ErrorBody, FieldError } from './errors.ts'
export { checkHealth } from './health.routes.ts'
export { isServiceUnavailable, RETRY_AFTER_SECONDS } from './unavailable.ts'
export type { HealthReport } from './health.routes.ts'
export { requireSession, requireTask, requireTeam } from './access.ts'
export { authGuard } from './auth-guard.ts'
export type { AuthGuardDeps } from './auth-guard.ts'
export { clientIp } from './client-ip.ts'
export { expectedOrigin } from './origin-check.ts'
export {
  clearedSessionCookie,
  CSRF_FIELD,
  CSRF_HEADER,
  csrfTokenOf,
  csrfTokenValid,
  isSecureOrigin,
  isStateChanging,
  readCookie,
  resolveRequestAuth,
  SESSION_COOKIE,
  sessionCookie,
} from './request-auth.ts'
export type { RequestAuth, RequestAuthDeps, SessionCookieOptions } from './request-auth.ts'
export { CONTENT_SECURITY_POLICY } from './security-headers.ts'
export { liveRoutes } from './live.routes.tsx'
export { createLiveRenderer, foldReplay, planView } from './pages/index.ts'
export type { LiveRenderer, LiveViewer } from './pages/index.ts'
export { httpMetrics, registerAppGauges } from './app-metrics.ts'
