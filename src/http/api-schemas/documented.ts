import type { z } from 'zod'
import { apiSchemaName, schemaRef } from './catalog.ts'
import { type ErrorStatus, errorResponseRef } from './error-responses.ts'

/** The security schemes of the document, by name. */
export const SECURITY_SCHEMES = {
  sessionCookie: { type: 'apiKey', in: 'cookie', name: 'sage_session', description: 'The login cookie set by signup and login.' },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description: 'The login’s `csrf_token`; required with the cookie on every state-changing request.',
  },
  bearerToken: { type: 'http', scheme: 'bearer', description: 'A personal API token (`POST /api/auth/tokens`); needs no CSRF token.' },
} as const

/** Who may call an operation: any login (cookie or API token; the default), a login's cookie only, or anyone. */
export type OperationAuth = 'login' | 'cookie' | 'public'

/** A success body: a named schema (JSON), `null` for none, or a whole OpenAPI response object (a stream, a file). */
export type SuccessBody = z.ZodType | null | { description: string; content: Record<string, unknown> }

/** What {@link documented} needs to document one route. */
export interface OperationDoc {
  /** The operation id, which generators turn into the client's method name (`createSession`). */
  id: string
  summary: string
  description?: string
  auth?: OperationAuth
  200?: SuccessBody
  201?: SuccessBody
  204?: null
  /** The error statuses the handler itself answers; those every route of its kind can answer are added by the document. */
  errors?: ErrorStatus[]
}

const SUCCESS = [200, 201, 204] as const
const DEFAULT_DESCRIPTION: Record<number, string> = { 200: 'OK', 201: 'Created' }

function isZod(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '~standard' in value && '_zod' in value
}

function successResponse(body: SuccessBody | undefined, status: number): Record<string, unknown> {
  if (body === null || body === undefined) return { description: 'Done; no body.' }
  if (!isZod(body)) return body
  const name = apiSchemaName(body)
  if (name === null) throw new Error(`documented(): the ${status} schema is not one of API_SCHEMAS; add it there with a name.`)
  return { description: body.description ?? DEFAULT_DESCRIPTION[status] ?? name, content: { 'application/json': { schema: schemaRef(name) } } }
}

/** The security requirements of `auth`; the document adds the CSRF header to cookie logins of state-changing operations. */
export function securityOf(auth: OperationAuth): Array<Record<string, string[]>> {
  if (auth === 'public') return []
  if (auth === 'cookie') return [{ sessionCookie: [] }]
  return [{ sessionCookie: [] }, { bearerToken: [] }]
}

/**
 * The `detail` of one documented route: its operation id, summary, security, success bodies by
 * name and its own error statuses. Documents only: nothing is validated at run time.
 * @example
 * .get('/:id', handler, { auth: true, params: IdParams, detail: documented({ id: 'getTeam', summary: 'A team', 200: TeamDetail, errors: [404] }) })
 */
export function documented(doc: OperationDoc): Record<string, unknown> {
  const responses: Record<string, unknown> = {}
  for (const status of SUCCESS) if (status in doc) responses[String(status)] = successResponse(doc[status], status)
  if (Object.keys(responses).length === 0) throw new Error(`documented(): ${doc.id} has no success response.`)
  for (const status of doc.errors ?? []) responses[String(status)] = errorResponseRef(status)
  return {
    operationId: doc.id,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    security: securityOf(doc.auth ?? 'login'),
    responses,
  }
}
