import { Elysia } from 'elysia'
import type { Logger } from '../log/index.ts'
import { type ErrorBody, type FieldError, HttpError } from './errors.ts'
import { isServiceUnavailable, RETRY_AFTER_SECONDS } from './unavailable.ts'

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

function json(status: number, body: ErrorBody, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  })
}

/** Turns Elysia's validation error (zod through Standard Schema) into API.md's field list. */
export function fieldErrors(error: unknown): FieldError[] {
  const all = (error as { all?: unknown }).all
  if (!Array.isArray(all)) return [{ field: '', message: 'invalid' }]
  return all.flatMap((issue: { path?: unknown; message?: string; summary?: string }): FieldError[] => {
    const raw = Array.isArray(issue.path)
      ? issue.path.map((p) => (typeof p === 'object' && p !== null && 'key' in p ? String(p.key) : String(p))).join('.')
      : typeof issue.path === 'string'
        ? issue.path.replace(/^\//, '').replaceAll('/', '.')
        : ''
    const path = raw === 'root' ? '' : raw
    const message = issue.message ?? issue.summary ?? 'invalid'
    // zod reports unknown keys on the parent object; name each key as its own field.
    const unknown = /^Unrecognized keys?: (.*)$/.exec(message)
    if (unknown?.[1]) {
      const keys = [...unknown[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '')
      if (keys.length > 0) return keys.map((key) => ({ field: path ? `${path}.${key}` : key, message: 'is not a known field' }))
    }
    return [{ field: path, message }]
  })
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Gives every request an id (echoing a well-formed `X-Request-Id`), and maps every
 * error to API.md's JSON shape in one place. An unexpected error is logged once with
 * its request id; its response carries no stack trace and no SQL.
 */
export function errorHandling(log: Logger) {
  return new Elysia({ name: 'error-handling' })
    // Assigned before routing, so responses refused in other onRequest hooks (413, 403) carry it too.
    .onRequest(({ request, set }) => {
      const given = request.headers.get('x-request-id')
      set.headers['x-request-id'] = given && REQUEST_ID.test(given) ? given : crypto.randomUUID()
    })
    .derive({ as: 'global' }, ({ set }) => ({ requestId: String(set.headers['x-request-id']) }))
    .onError({ as: 'global' }, ({ code, error, request, set }) => {
      const requestId = String(set.headers['x-request-id'] ?? '') || crypto.randomUUID()
      const rid = { 'x-request-id': requestId }
      if (error instanceof HttpError) return json(error.status, error.toBody(), { ...error.headers, ...rid })
      // A parser that threw one of our errors (e.g. a body over the limit) keeps its status.
      if (code === 'PARSE' && error.cause instanceof HttpError) return json(error.cause.status, error.cause.toBody(), { ...error.cause.headers, ...rid })
      switch (code) {
        case 'VALIDATION':
          return json(422, { error: { code: 'validation_failed', message: 'Some fields are not valid.', details: fieldErrors(error) } }, rid)
        case 'PARSE':
          return json(400, { error: { code: 'bad_request', message: 'The request body could not be parsed.' } }, rid)
        case 'NOT_FOUND':
          return json(404, { error: { code: 'not_found', message: 'Not found.' } }, rid)
        case 'INVALID_COOKIE_SIGNATURE':
          return json(401, { error: { code: 'unauthorized', message: 'Sign in first.' } }, rid)
      }
      if (typeof code === 'number') return // a status(...) response: Elysia renders it as given
      if (isServiceUnavailable(error)) {
        log.warn('a service is unavailable', { requestId, method: request.method, path: new URL(request.url).pathname, error: errorMessage(error) })
        const body = { error: { code: 'unavailable', message: 'A service this app needs is unavailable; try again shortly.', details: { request_id: requestId } } }
        return json(503, body, { ...rid, 'retry-after': String(RETRY_AFTER_SECONDS) })
      }
      log.error('unhandled error', { requestId, method: request.method, path: new URL(request.url).pathname, error })
      return json(500, { error: { code: 'internal', message: 'Something went wrong on our side.', details: { request_id: requestId } } }, rid)
    })
}
