import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import { createLogger } from '../../src/log/index.ts'
import { createDirectSessionControl } from '../orchestration/direct-session-control.ts'
import { ApiClient, type ApiResponse, req, signUp, startTestApp, TEST_PASSWORD, type TestApp, uniqueName } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

let t: TestApp
let owner: ApiClient
let teamId: number
let sessionId: number
let memberName: string
const LIMIT = 65_536

const TABLES = ['users', 'teams', 'team_memberships', 'execution_sessions', 'agent_tasks', 'session_decisions', 'task_decisions', 'agent_snapshots']

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of TABLES) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.database.db)
    out[table] = rows[0]?.n ?? -1
  }
  return out
}

function expectErrorShape(res: ApiResponse, label: string): void {
  expect([label, res.status >= 400 && res.status < 500]).toEqual([label, true])
  expect([label, res.headers.get('content-type')]).toEqual([label, 'application/json; charset=utf-8'])
  expect(typeof res.body?.error?.code).toBe('string')
  expect(typeof res.body?.error?.message).toBe('string')
  expect(Object.keys(res.body).sort()).toEqual(['error'])
  // No stack traces or SQL in any answer.
  expect(res.text).not.toMatch(/\bat .*\.ts:\d+|node_modules|\bselect\b.*\bfrom\b|\binsert into\b|syntax error/i)
}

beforeAll(async () => {
  t = await startTestApp({ env: { BODY_LIMIT_BYTES: String(LIMIT) } })
  owner = await signUp(t.app)
  memberName = (await signUp(t.app)).user?.username ?? ''
  teamId = (await owner.post('/api/teams', { name: 'Fuzz' })).body.team.id
  sessionId = (await owner.post('/api/sessions', { team_id: teamId, feature_name: 'Fuzz' })).body.session.id
})
afterAll(() => t.close())

interface WriteRoute {
  method: 'POST' | 'PUT'
  path: () => string
  valid: () => Record<string, unknown>
  /** Field values that must be refused, per field: SQL/HTML metacharacters, unicode tricks, bad types. */
  invalid: Record<string, unknown[]>
  anonymous?: boolean
}

const SQL = "x' OR '1'='1'; DROP TABLE users; --"
const HTML = '<script>alert(1)</script>'
const NUL = 'a\u0000b'
// Longer than any field allows, shorter than the body limit.
const HUGE = 'x'.repeat(12_000)

const ROUTES: Record<string, WriteRoute> = {
  signup: {
    method: 'POST',
    path: () => '/api/auth/signup',
    valid: () => ({ username: uniqueName(), email: `${uniqueName()}@x.test`, password: TEST_PASSWORD }),
    invalid: { username: [SQL, HTML, 'Jos\u00e9', '\ud83d\ude00abc', NUL, 'ab', HUGE], email: [`${HTML}@x.test`, 'a@b', NUL], password: ['short', HUGE] },
    anonymous: true,
  },
  login: {
    method: 'POST',
    path: () => '/api/auth/login',
    valid: () => ({ username: uniqueName(), password: 'wrong-password' }),
    invalid: { username: ['', NUL, HUGE], password: ['', HUGE] },
    anonymous: true,
  },
  'create team': {
    method: 'POST',
    path: () => '/api/teams',
    valid: () => ({ name: 'Team' }),
    invalid: { name: ['', '   ', NUL, 'line\nbreak', HUGE], description: [NUL, HUGE], is_shared: ['true', 1] },
  },
  'update team': {
    method: 'PUT',
    path: () => `/api/teams/${teamId}`,
    valid: () => ({ name: 'Renamed' }),
    invalid: { name: ['', NUL, HUGE, null], is_shared: ['yes'] },
  },
  invite: {
    method: 'POST',
    path: () => `/api/teams/${teamId}/invite`,
    valid: () => ({ username: memberName, role: 'viewer' }),
    invalid: { username: [SQL, HTML, NUL], role: ['owner', "member' OR '1'='1", HTML, 'MEMBER'] },
  },
  'start session': {
    method: 'POST',
    path: () => '/api/sessions',
    valid: () => ({ team_id: teamId, feature_name: 'Feature' }),
    invalid: {
      team_id: ['1', '1 OR 1=1', -1, 0, 1.5, 1e300, null],
      feature_name: ['', NUL, HUGE],
      plan: ["dag'; --", HTML],
      agents: [[SQL], ['software_architect', 'software_architect'], 'software_architect'],
    },
  },
  'add decision': {
    method: 'POST',
    path: () => `/api/sessions/${sessionId}/decisions`,
    valid: () => ({ decision_text: 'Decide', category: 'c', confidence: 'high' }),
    invalid: { decision_text: ['', NUL, HUGE], category: ['', NUL], confidence: [HTML, SQL, 'HIGH', 0.9] },
  },
}

/** Every malformed request the table sends to a route: a label, a body (raw string or value) and headers. */
function malformed(route: WriteRoute): Array<{ label: string; raw: string; contentType?: string }> {
  const valid = route.valid()
  const cases: Array<{ label: string; raw: string; contentType?: string }> = [
    { label: 'malformed JSON', raw: '{"a": ' },
    { label: 'truncated JSON', raw: JSON.stringify(valid).slice(0, -1) },
    { label: 'deeply nested JSON', raw: '['.repeat(2000) },
    { label: 'JSON null', raw: 'null' },
    { label: 'JSON array', raw: '[]' },
    { label: 'JSON string', raw: '"hello"' },
    { label: 'JSON number', raw: '42' },
    { label: 'empty object', raw: '{}' },
    { label: 'empty body', raw: '' },
    { label: 'text/plain body', raw: JSON.stringify(valid), contentType: 'text/plain' },
    { label: 'unknown field', raw: JSON.stringify({ ...valid, is_admin: true }) },
    { label: 'prototype pollution key', raw: JSON.stringify(valid).replace(/^\{/, '{"__proto__": {"admin": true}, ') },
    { label: 'oversized body', raw: JSON.stringify({ ...valid, pad: 'x'.repeat(LIMIT) }) },
  ]
  for (const field of Object.keys(valid)) {
    const { [field]: _, ...rest } = valid
    cases.push({ label: `missing ${field}`, raw: JSON.stringify(rest) })
    cases.push({ label: `${field} as object`, raw: JSON.stringify({ ...valid, [field]: { $gt: '' } }) })
    cases.push({ label: `${field} as array`, raw: JSON.stringify({ ...valid, [field]: [1, 2] }) })
  }
  for (const [field, values] of Object.entries(route.invalid)) {
    for (const value of values) cases.push({ label: `${field} = ${JSON.stringify(value).slice(0, 40)}`, raw: JSON.stringify({ ...valid, [field]: value }) })
  }
  return cases.filter((c) => !(c.label.startsWith('missing') && route.method === 'PUT'))
}

describe('every write route refuses bad input with a 4xx in API.md’s error shape and writes nothing', () => {
  for (const [name, route] of Object.entries(ROUTES)) {
    it(`${name}: ${route.method} with malformed bodies`, async () => {
      const before = await counts()
      const teamBefore = await t.database.db.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirst()
      for (const c of malformed(route)) {
        const res = await owner.call(route.method, route.path(), undefined, {
          raw: c.raw,
          headers: { 'content-type': c.contentType ?? 'application/json' },
        })
        expectErrorShape(res, `${name}: ${c.label} -> ${res.status} ${res.text.slice(0, 200)}`)
      }
      expect(await counts()).toEqual(before)
      expect(await t.database.db.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirst()).toEqual(teamBefore)
      // The server keeps serving, and the valid request still works.
      expect((await req(t.app, '/health')).status).toBe(200)
      // Signup and login answer with a new cookie; keep the owner's own session out of it.
      const ok = await (route.anonymous ? new ApiClient(t.app) : owner).call(route.method, route.path(), route.valid())
      expect([name, ok.status < 300 || (name === 'login' && ok.status === 401)]).toEqual([name, true])
    })
  }

  it('refuses bad ids in the path of every route with a 4xx and writes nothing', async () => {
    const before = await counts()
    const ids = ['abc', '0', '-1', '1.5', '1e3', '0x10', '99999999999999999999', "1' OR '1'='1", '1;DROP TABLE teams', '%00', '%F0%9F%98%80', '9007199254740993']
    const templates: Array<[string, (id: string) => string]> = [
      ['PUT', (id) => `/api/teams/${id}`],
      ['DELETE', (id) => `/api/teams/${id}`],
      ['POST', (id) => `/api/teams/${id}/invite`],
      ['DELETE', (id) => `/api/teams/${id}/members/${id}`],
      ['PUT', (id) => `/api/sessions/${id}/complete`],
      ['POST', (id) => `/api/sessions/${id}/cancel`],
      ['POST', (id) => `/api/sessions/${id}/decisions`],
      ['GET', (id) => `/api/sessions/${id}`],
      ['GET', (id) => `/api/tasks/${id}/snapshot`],
      ['GET', (id) => `/api/dashboard/teams/${id}/stats`],
    ]
    for (const [method, path] of templates) {
      for (const id of ids) {
        const body = method === 'POST' || method === 'PUT' ? { name: 'x', username: memberName, role: 'member' } : undefined
        const res = await owner.call(method, path(encodeURI(id).replaceAll("'", '%27')), body)
        expectErrorShape(res, `${method} ${path(id)} -> ${res.status}`)
      }
    }
    expect(await counts()).toEqual(before)
  })

  it('refuses bad query strings with 422', async () => {
    for (const query of ['?limit=abc', '?limit=-5', '?status=%27%20OR%201=1', '?team_id=1%20OR%201=1', `?cursor=${'x'.repeat(500)}`, '?extra=1']) {
      expectErrorShape(await owner.get(`/api/sessions${query}`), query)
    }
    expectErrorShape(await owner.get(`/api/sessions/${sessionId}/decisions?q=${'x'.repeat(1000)}`), 'long q')
  })

  it('refuses a chunked body over the limit with 413 even without Content-Length', async () => {
    const chunk = new TextEncoder().encode(`{"name":"${'x'.repeat(LIMIT)}"}`)
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk)
        controller.close()
      },
    })
    const res = await req(t.app, '/api/teams', {
      method: 'POST',
      headers: { cookie: `sage_session=${owner.cookie}`, 'x-csrf-token': owner.csrf ?? '', 'content-type': 'application/json' },
      body,
    })
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('payload_too_large')
  })

  it('stores SQL and HTML metacharacters and unicode in free text verbatim and returns them as JSON', async () => {
    const name = `Robert'); DROP TABLE teams;-- ${HTML} 😀 עברית`
    const created = await owner.post('/api/teams', { name, description: `line one\nline two\t${HTML}` })
    expect(created.status).toBe(201)
    const fetched = await owner.get(`/api/teams/${created.body.team.id}`)
    expect(fetched.body.team.name).toBe(name)
    expect(fetched.body.team.description).toBe(`line one\nline two\t${HTML}`)
    expect(fetched.headers.get('content-type')).toContain('application/json')
  })
})

describe('errors, headers and docs', () => {
  it('answers an unknown API route with 404 in the error shape', async () => {
    const res = await owner.get('/api/nothing-here')
    expect(res.status).toBe(404)
    expectErrorShape(res, 'unknown route')
  })

  it('echoes a well-formed X-Request-Id and makes one up otherwise', async () => {
    const echoed = await req(t.app, '/api/auth/me', { headers: { 'x-request-id': 'abc-123' } })
    expect(echoed.headers.get('x-request-id')).toBe('abc-123')
    const replaced = await req(t.app, '/api/auth/me', { headers: { 'x-request-id': 'bad id\u00e9' } })
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('sends the security headers and CSP on pages, API answers, errors and /health; no-store on the API', async () => {
    for (const [path, status] of [
      ['/health', 200],
      ['/api/auth/me', 401],
      ['/api/teams', 200],
      ['/no/such/page', 404],
      ['/api/docs', 200],
    ] as const) {
      const res = path === '/api/teams' ? await owner.get(path) : await req(t.app, path)
      expect([path, res.status]).toEqual([path, status])
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("script-src 'self'")
      expect(csp).not.toContain('unsafe-inline')
      expect(csp).toContain("frame-ancestors 'none'")
      if (path.startsWith('/api') || path === '/health') expect(res.headers.get('cache-control')).toBe('no-store')
    }
  })

  it('never returns a password hash from any route', async () => {
    const client = await signUp(t.app)
    const other = await signUp(t.app)
    const team = (await client.post('/api/teams', { name: 'Hashless' })).body.team.id
    const texts = [
      (await client.get('/api/auth/me')).text,
      (await client.post('/api/auth/login', { username: client.user?.username, password: TEST_PASSWORD })).text,
      (await client.post(`/api/teams/${team}/invite`, { username: other.user?.username, role: 'member' })).text,
      (await client.get(`/api/teams/${team}`)).text,
      (await client.get('/api/teams')).text,
      (await client.post('/api/sessions', { team_id: team, feature_name: 'x' })).text,
      (await client.get('/api/sessions')).text,
      (await client.get('/api/dashboard')).text,
    ]
    for (const text of texts) {
      expect(text).not.toContain('$argon2')
      expect(text).not.toContain('password')
    }
  })

  it('describes the JSON API at /api/docs as OpenAPI generated from the zod schemas', async () => {
    const res = await req(t.app, '/api/docs')
    expect(res.status).toBe(200)
    const doc = await res.json()
    expect(doc.openapi).toMatch(/^3\./)
    const paths = Object.keys(doc.paths)
    for (const path of [
      '/api/auth/signup', '/api/auth/login', '/api/auth/logout', '/api/auth/me', '/api/teams', '/api/teams/{id}', '/api/teams/{id}/invite',
      '/api/teams/{id}/members/{user_id}', '/api/sessions', '/api/sessions/{id}', '/api/sessions/{id}/complete', '/api/sessions/{id}/cancel',
      '/api/sessions/{id}/decisions', '/api/sessions/{id}/tasks', '/api/tasks/{id}/snapshot', '/api/dashboard',
      '/api/dashboard/teams/{id}/stats', '/api/dashboard/teams/{id}/decisions', '/api/dashboard/teams/{id}/agents',
    ]) {
      expect(paths).toContain(path)
    }
    expect(paths.every((p) => p.startsWith('/api/'))).toBe(true)
    const signup = doc.paths['/api/auth/signup'].post.requestBody.content['application/json'].schema
    expect(signup.required.sort()).toEqual(['email', 'password', 'username'])
    expect(signup.additionalProperties).toBe(false)
    const session = doc.paths['/api/sessions'].post.requestBody.content['application/json'].schema
    expect(session.properties.agents.items.enum).toContain('software_architect')
  })
})

describe('an unexpected error', () => {
  it('is a 500 in the error shape with no stack, logged once with its request id, and rolls back', async () => {
    const lines: string[] = []
    const broken = await startTestApp({
      log: createLogger('error', {}, (line) => lines.push(line)),
      sessionControl: (db) => ({
        ...createDirectSessionControl(db),
        async sessionCreated() {
          throw new Error('supervisor exploded: select * from secrets')
        },
      }),
    })
    try {
      const client = await signUp(broken.app)
      const team = (await client.post('/api/teams', { name: 'Boom' })).body.team.id
      const before = await broken.database.db.selectFrom('execution_sessions').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
      const res = await client.post('/api/sessions', { team_id: team, feature_name: 'x' }, { headers: { 'x-request-id': 'req-500' } })
      expect(res.status).toBe(500)
      expect(res.body).toEqual({ error: { code: 'internal', message: 'Something went wrong on our side.', details: { request_id: 'req-500' } } })
      expect(res.text).not.toContain('exploded')
      const after = await broken.database.db.selectFrom('execution_sessions').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
      expect(after.n).toBe(before.n)
      const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.requestId === 'req-500')
      expect(logged).toHaveLength(1)
      expect(logged[0].error.message).toContain('supervisor exploded')
      expect((await client.get('/api/auth/me')).status).toBe(200)
    } finally {
      await broken.close()
    }
  })
})
