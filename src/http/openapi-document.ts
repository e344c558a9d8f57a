import { type ErrorStatus, errorResponseComponents, errorResponseRef, SECURITY_SCHEMES, securityOf } from './api-schemas/index.ts'
import { componentSchemas } from './api-schemas/index.ts'

/** An OpenAPI 3.1 document, as plain JSON. */
export type OpenApiDocument = Record<string, any>

/** What the document says about the service itself. */
export interface DocumentOptions {
  /** The public origin (`APP_ORIGIN`); the document's server is relative to where it is served when unset. */
  origin: string | undefined
  version: string
}

/** The areas of the API, in the order the reference lists them. */
export const API_TAGS: Array<{ name: string; description: string }> = [
  { name: 'auth', description: 'Accounts, logins and personal API tokens.' },
  { name: 'teams', description: 'Teams, their members and their session defaults.' },
  { name: 'sessions', description: 'Sessions: a run of the agent team on one feature.' },
  { name: 'tasks', description: 'One agent’s task in a session: snapshots and reviews.' },
  { name: 'decisions', description: 'The decision journal of each session, and search across teams.' },
  { name: 'events', description: 'A session’s events, live, as Server-Sent Events.' },
  { name: 'dashboard', description: 'Aggregates over the caller’s teams or one team.' },
]

/** Until the project names a licence, the document says the API is not licensed for reuse. */
const LICENSE = { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' }

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const
const STATE_CHANGING = new Set(['post', 'put', 'delete', 'patch'])

/** Error statuses any operation of this kind can answer, whatever its handler does. */
function genericErrors(method: string, op: OpenApiDocument): ErrorStatus[] {
  const statuses: ErrorStatus[] = []
  const security = op.security as Array<Record<string, string[]>>
  if (security.length > 0) statuses.push(401)
  // The origin check refuses cross-origin state-changing requests; the auth guard a cookie without its CSRF token.
  if (STATE_CHANGING.has(method)) statuses.push(403)
  if (op.requestBody) statuses.push(400, 413, 422)
  else if (op.parameters?.length) statuses.push(422)
  // A failing bearer secret counts towards a per-address limit.
  if (security.some((s) => 'bearerToken' in s)) statuses.push(429)
  statuses.push(500, 503)
  return statuses
}

/** Fills in what every operation shares: security (with the CSRF header where it applies), JSON-only bodies, the common errors. */
function completeOperation(method: string, op: OpenApiDocument): OpenApiDocument {
  const security = ((op.security as Array<Record<string, string[]>> | undefined) ?? securityOf('login')).map((requirement) =>
    STATE_CHANGING.has(method) && 'sessionCookie' in requirement ? { ...requirement, csrfToken: [] } : requirement,
  )
  const out: OpenApiDocument = { ...op, security }
  // The JSON API reads JSON bodies; the pages take the forms.
  if (op.requestBody?.content?.['application/json']) {
    out.requestBody = { ...op.requestBody, content: { 'application/json': op.requestBody.content['application/json'] } }
  }
  const responses: Record<string, unknown> = { ...op.responses }
  for (const status of genericErrors(method, out)) responses[String(status)] ??= errorResponseRef(status)
  out.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)))
  return out
}

/** Every `$ref` target reachable from `value`. */
function collectRefs(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) collectRefs(v, into)
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') into.add(v)
      else collectRefs(v, into)
    }
  }
}

/** Keeps the components some operation refers to, directly or through another component. */
function reachableComponents(paths: OpenApiDocument, all: Record<string, Record<string, unknown>>, kind: string): Set<string> {
  const seen = new Set<string>()
  const refs = new Set<string>()
  collectRefs(paths, refs)
  const queue = [...refs]
  while (queue.length > 0) {
    const ref = queue.pop() as string
    if (seen.has(ref)) continue
    seen.add(ref)
    const name = ref.slice(ref.lastIndexOf('/') + 1)
    for (const section of Object.values(all)) {
      const next = new Set<string>()
      collectRefs(section[name], next)
      queue.push(...next)
    }
  }
  return new Set([...seen].filter((r) => r.startsWith(`#/components/${kind}/`)).map((r) => r.slice(r.lastIndexOf('/') + 1)))
}

/**
 * The served document: the operations Elysia generated from the routes (their zod schemas and
 * `documented()` details), completed with what every operation shares, the named schemas they
 * refer to, `servers`, tags and licence. Pure: the same routes give the same document.
 */
export function apiDocument(generated: { paths: OpenApiDocument }, options: DocumentOptions): OpenApiDocument {
  const paths: OpenApiDocument = {}
  for (const [rawPath, item] of Object.entries(generated.paths)) {
    const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath
    const completed: OpenApiDocument = { ...paths[path] }
    for (const method of METHODS) if (item[method]) completed[method] = completeOperation(method, item[method])
    paths[path] = completed
  }
  const schemas = componentSchemas()
  const responses = errorResponseComponents()
  const all = { schemas, responses }
  const usedSchemas = reachableComponents(paths, all, 'schemas')
  const usedResponses = reachableComponents(paths, all, 'responses')
  const usedTags = new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((op: any) => op.tags ?? [])))
  const tags = [...API_TAGS.filter((t) => usedTags.has(t.name))]
  for (const name of usedTags) if (!tags.some((t) => t.name === name)) tags.push({ name, description: `Operations on ${name}.` })
  return {
    openapi: '3.1.2',
    info: {
      title: 'Sage Mode API',
      version: options.version,
      description:
        'The JSON API of Sage Mode. Authenticate with the `sage_session` cookie from signup or login — state-changing requests then also send the login’s `csrf_token` as `X-CSRF-Token` — or with a personal API token as `Authorization: Bearer <secret>`. Unknown body fields and query parameters are rejected with 422. Every error has the `Error` shape.',
      license: LICENSE,
    },
    servers: [{ url: options.origin ?? '/', description: options.origin ? 'This deployment' : 'The server this document is served from' }],
    tags,
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => usedSchemas.has(name))),
      responses: Object.fromEntries(Object.entries(responses).filter(([name]) => usedResponses.has(name))),
      securitySchemes: SECURITY_SCHEMES,
    },
  }
}
