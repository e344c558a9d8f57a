import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { documented, Session, SessionEnvelope } from '../../src/http/api-schemas/index.ts'
import { req, startTestApp, type TestApp } from '../support/http.ts'
import { REPO_ROOT } from '../support/service-process.ts'

setDefaultTimeout(60_000)

const STATE_CHANGING = new Set(['post', 'put', 'delete', 'patch'])

/** Lints `doc` with Redocly's CLI (recommended rules) in a child process; returns its JSON report. */
async function redoclyLint(doc: unknown): Promise<{ totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sage-openapi-lint-'))
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc))
    const proc = Bun.spawn([process.execPath, join(REPO_ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', '--extends=recommended', '--format=json', 'openapi.json'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
    const start = out.indexOf('{')
    if (start < 0) throw new Error(`redocly printed no report: ${out}${err}`)
    return JSON.parse(out.slice(start))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('the OpenAPI document at /api/docs', () => {
  let t: TestApp
  let doc: any
  beforeAll(async () => {
    t = await startTestApp()
    doc = await (await req(t.app, '/api/docs')).json()
  })
  afterAll(() => t.close())

  const operations = (): Array<{ path: string; method: string; op: any }> =>
    Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })))

  it('passes Redocly’s recommended rules with no error and no warning', async () => {
    const report = await redoclyLint(doc)
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([])
    expect(report.totals.errors).toBe(0)
  })

  it('documents every /api route Elysia registers, each with a 2xx response (a schema unless 204), an operation id and security', () => {
    const routes = t.app.routes.filter((r) => r.path.startsWith('/api/') && r.path !== '/api/docs')
    expect(routes.length).toBeGreaterThan(20)
    const missing: string[] = []
    for (const route of routes) {
      const path = route.path.replace(/\/+$/, '').replace(/:([^/]+)/g, '{$1}')
      const op = doc.paths[path]?.[route.method.toLowerCase()]
      const ok = Object.entries(op?.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status))
      const typed = ok.length > 0 && ok.every(([status, r]: [string, any]) => status === '204' || Object.values(r.content ?? {}).some((c: any) => c.schema))
      if (!op || !typed || typeof op.operationId !== 'string' || !Array.isArray(op.security)) missing.push(`${route.method} ${route.path}`)
    }
    expect(missing).toEqual([])
  })

  it('names operations as a generator’s methods: unique lowerCamelCase verbs, not the path-derived defaults', () => {
    const ids = operations().map(({ op }) => op.operationId as string)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) {
      expect(id).toMatch(/^[a-z]+(?:[A-Z][a-z]*)*$/)
      // Elysia's default would be `postApiSessions`, `getApiTeamsById`.
      expect(id).not.toMatch(/^(get|post|put|delete|patch)Api|ById/)
    }
    expect(ids).toContain('createSession')
    expect(ids).toContain('listSessions')
  })

  it('says how each operation authenticates: public signup and login, the cookie with the CSRF header on state-changing requests, or a bearer token', () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerToken', 'csrfToken', 'sessionCookie'])
    for (const { path, method, op } of operations()) {
      if (path === '/api/auth/signup' || path === '/api/auth/login') {
        expect(op.security).toEqual([])
        continue
      }
      const cookie = op.security.find((s: Record<string, unknown>) => 'sessionCookie' in s)
      expect(cookie).toEqual(STATE_CHANGING.has(method) ? { sessionCookie: [], csrfToken: [] } : { sessionCookie: [] })
      // Tokens are minted from a login only; everything else also takes a bearer token.
      const bearer = op.security.some((s: Record<string, unknown>) => 'bearerToken' in s)
      expect(`${method} ${path} bearer=${bearer}`).toBe(`${method} ${path} bearer=${op.operationId !== 'createApiToken'}`)
      expect(op.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' })
    }
  })

  it('gives every error status API.md’s error shape, with Retry-After on 429 and 503', () => {
    const responses = doc.components.responses as Record<string, any>
    for (const r of Object.values(responses)) expect(r.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' })
    expect(Object.keys(responses.RateLimited.headers)).toEqual(['Retry-After'])
    expect(Object.keys(responses.Unavailable.headers)).toEqual(['Retry-After'])
    expect(doc.components.schemas.Error.properties.error.required.sort()).toEqual(['code', 'message'])
    for (const { op } of operations()) {
      for (const [status, r] of Object.entries(op.responses as Record<string, any>)) {
        if (Number(status) >= 400) expect(r.$ref).toMatch(/^#\/components\/responses\//)
      }
    }
  })

  it('describes API.md’s session and task with all their fields', () => {
    const { Session, Task } = doc.components.schemas
    expect(Object.keys(Session.properties).sort()).toEqual(
      [
        'id', 'team_id', 'user_id', 'feature_name', 'description', 'plan', 'status', 'started_at', 'ended_at', 'duration_seconds', 'created_at',
        'parent_id', 'forked_from_role', 'review', 'budget_usd', 'input_tokens', 'output_tokens', 'cost_usd', 'consistency_score', 'awaiting',
      ].sort(),
    )
    expect(Task.properties.status.enum).toContain('awaiting_review')
    expect(Task.properties.status.enum).toContain('awaiting_budget')
    expect(Task.properties.cost_usd.type).toEqual(['number', 'null'])
    expect(Object.keys(Task.properties)).toContain('reused_from_task_id')
  })

  it('has tags with descriptions, a licence, and a server relative to where it is served when APP_ORIGIN is unset', () => {
    expect(doc.info.license.name).toBeTruthy()
    expect(doc.servers).toEqual([{ url: '/', description: 'The server this document is served from' }])
    const used = new Set(operations().flatMap(({ op }) => op.tags))
    expect(doc.tags.map((tag: { name: string }) => tag.name).sort()).toEqual([...used].sort())
    for (const tag of doc.tags) expect(tag.description).toBeTruthy()
  })

  it('takes its server from APP_ORIGIN when it is set', async () => {
    const other = await startTestApp({ env: { APP_ORIGIN: 'https://sage.example.org' } })
    try {
      const body = await (await req(other.app, '/api/docs', { headers: { accept: 'application/json' } })).json()
      expect(body.servers).toEqual([{ url: 'https://sage.example.org', description: 'This deployment' }])
    } finally {
      await other.close()
    }
  })
})

describe('documented()', () => {
  it('documents a route in one line: its id, summary, security, success body by name and its own errors', () => {
    expect(documented({ id: 'getThing', summary: 'A thing', 200: SessionEnvelope, errors: [404] })).toEqual({
      operationId: 'getThing',
      summary: 'A thing',
      security: [{ sessionCookie: [] }, { bearerToken: [] }],
      responses: {
        '200': { description: 'The session.', content: { 'application/json': { schema: { $ref: '#/components/schemas/SessionEnvelope' } } } },
        '404': { $ref: '#/components/responses/NotFound' },
      },
    })
    expect(documented({ id: 'doThing', summary: 'x', auth: 'public', 204: null }).security).toEqual([])
    expect(Session.description).toBeTruthy()
  })

  it('refuses a body schema that has no name in the document, and a route with no success response', () => {
    expect(() => documented({ id: 'getAnon', summary: 'x', 200: z.object({ a: z.string() }) })).toThrow(/not one of API_SCHEMAS/)
    expect(() => documented({ id: 'getNothing', summary: 'x', errors: [404] })).toThrow(/no success response/)
  })
})
