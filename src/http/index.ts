export { createApp, createOpsApp } from './app.ts'
export type { App, AppDeps } from './app.ts'
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
export type { HealthReport } from './health.routes.ts'
