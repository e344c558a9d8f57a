import { schemaRef } from './catalog.ts'

/** The statuses an API operation answers with API.md's error shape. */
export const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 422, 429, 500, 503] as const
export type ErrorStatus = (typeof ERROR_STATUSES)[number]

const ERRORS: Record<ErrorStatus, { name: string; description: string; retryAfter?: true }> = {
  400: { name: 'BadRequest', description: 'The body is not valid JSON (code `bad_request`).' },
  401: { name: 'Unauthorized', description: 'Not logged in, or the API token is unknown, revoked or expired (code `unauthorized`).' },
  403: { name: 'Forbidden', description: 'Logged in but not allowed, a missing CSRF token, or a cross-origin request (code `forbidden`).' },
  404: { name: 'NotFound', description: 'Not found, or not visible to the caller (code `not_found`).' },
  409: { name: 'Conflict', description: 'A duplicate, or a state transition that is not allowed (code `conflict`).' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than the server accepts (code `payload_too_large`).' },
  422: { name: 'ValidationFailed', description: 'Validation failed; `details` lists the fields as `[{field, message}]` (code `validation_failed`).' },
  429: { name: 'RateLimited', description: 'Too many attempts; wait `Retry-After` seconds (code `rate_limited`).', retryAfter: true },
  500: { name: 'InternalError', description: 'Unexpected; `details.request_id` names it in the logs (code `internal`).' },
  503: { name: 'Unavailable', description: 'A service it needs (PostgreSQL or Redis) is down for now; retry after `Retry-After` seconds (code `unavailable`).', retryAfter: true },
}

/** A `$ref` to the shared response of an error status. */
export function errorResponseRef(status: ErrorStatus): { $ref: string } {
  return { $ref: `#/components/responses/${ERRORS[status].name}` }
}

/** `components.responses`: one response per error status, each with the `Error` schema (and `Retry-After` where sent). */
export function errorResponseComponents(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {}
  for (const status of ERROR_STATUSES) {
    const { name, description, retryAfter } = ERRORS[status]
    out[name] = {
      description,
      ...(retryAfter
        ? { headers: { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } } } }
        : {}),
      content: { 'application/json': { schema: schemaRef('Error') } },
    }
  }
  return out
}
