import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import { testEngines } from '../support/engines.ts'
import { type ApiClient, req, signUp, startTestApp, type TestApp } from '../support/http.ts'

// Integration tests start databases and servers: more than bun's 5 s default.
setDefaultTimeout(60_000)

/** A request authenticated by a bearer secret only (no cookie, no CSRF token, no Origin). */
function bearer(t: TestApp, secret: string, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${secret}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  return req(t.app, path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
}

for (const engine of testEngines()) {
  describe(`personal API tokens (${engine.name})`, () => {
    let t: TestApp
    let owner: ApiClient
    let stranger: ApiClient
    let teamId: number
    beforeAll(async () => {
      t = await startTestApp({ engine, store: engine.name === 'pglite' ? 'database' : 'redis' })
      owner = await signUp(t.app)
      stranger = await signUp(t.app)
      teamId = (await owner.post('/api/teams', { name: 'Token team' })).body.team.id
    }, 60_000)
    afterAll(() => t.close())

    it('creates a sage_ token whose secret is shown once and listed never', async () => {
      const res = await owner.post('/api/auth/tokens', { name: 'CI', expires_in_days: 30 })
      expect(res.status).toBe(201)
      expect(res.body.secret).toMatch(/^sage_[A-Za-z0-9_-]{43}$/)
      expect(Object.keys(res.body.token).sort()).toEqual(['created_at', 'expires_at', 'id', 'last_used_at', 'name'])
      const days = (Date.parse(res.body.token.expires_at) - Date.parse(res.body.token.created_at)) / 86_400_000
      expect(days).toBe(30)
      const list = await owner.get('/api/auth/tokens')
      expect(list.status).toBe(200)
      expect(list.body.map((x: { id: number }) => x.id)).toContain(res.body.token.id)
      expect(list.text).not.toContain(res.body.secret)
    })

    it('answers 422 with the fields for a bad name or lifetime', async () => {
      const res = await owner.post('/api/auth/tokens', { name: '', expires_in_days: 0 })
      expect(res.status).toBe(422)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['expires_in_days', 'name'])
    })

    it('authenticates every /api route and the event stream with a bearer token, without CSRF', async () => {
      const { secret } = (await owner.post('/api/auth/tokens', { name: 'script' })).body
      const me = await bearer(t, secret, 'GET', '/api/auth/me')
      expect(me.status).toBe(200)
      expect((await me.json()).user.id).toBe(owner.user?.id)
      const created = await bearer(t, secret, 'POST', '/api/sessions', { team_id: teamId, feature_name: 'Bearer feature' })
      expect(created.status).toBe(201)
      const sessionId = (await created.json()).session.id
      const events = await bearer(t, secret, 'GET', `/api/sessions/${sessionId}/events`)
      expect(events.status).toBe(200)
      expect(events.headers.get('content-type')).toContain('text/event-stream')
      const reader = (events.body as ReadableStream<Uint8Array>).getReader()
      expect(new TextDecoder().decode((await reader.read()).value)).toContain(': open')
      await reader.cancel()
      // A cross-site Origin does not matter to a bearer request: it carries no ambient credential.
      const completed = await req(t.app, `/api/sessions/${sessionId}/complete`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${secret}`, origin: 'https://evil.example' },
      })
      expect(completed.status).toBe(200)
      expect((await completed.json()).session.status).toBe('completed')
    })

    it('keeps a cookie request needing its CSRF token', async () => {
      const res = await owner.post('/api/teams', { name: 'No csrf' }, { noCsrf: true })
      expect(res.status).toBe(403)
    })

    it('never creates a token with a token', async () => {
      const { secret } = (await owner.post('/api/auth/tokens', { name: 'minting' })).body
      const res = await bearer(t, secret, 'POST', '/api/auth/tokens', { name: 'child' })
      expect(res.status).toBe(403)
    })

    it('stops a revoked token at once (401), and 404s revoking one that is not yours', async () => {
      const created = (await owner.post('/api/auth/tokens', { name: 'to revoke' })).body
      expect((await bearer(t, created.secret, 'GET', '/api/teams')).status).toBe(200)
      expect((await stranger.delete(`/api/auth/tokens/${created.token.id}`)).status).toBe(404)
      expect((await owner.delete(`/api/auth/tokens/${created.token.id}`)).status).toBe(204)
      const after = await bearer(t, created.secret, 'GET', '/api/teams')
      expect(after.status).toBe(401)
      expect((await after.json()).error.code).toBe('unauthorized')
    })

    it('refuses an expired token (401), and a bad bearer never falls back to the cookie', async () => {
      const created = (await owner.post('/api/auth/tokens', { name: 'short', expires_in_days: 1 })).body
      expect((await bearer(t, created.secret, 'GET', '/api/teams')).status).toBe(200)
      await t.database.db.updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', created.token.id).execute()
      expect((await bearer(t, created.secret, 'GET', '/api/teams')).status).toBe(401)
      const both = await owner.get('/api/teams', { headers: { authorization: `Bearer ${created.secret}` } })
      expect(both.status).toBe(401)
      expect((await bearer(t, 'sage_not-a-real-token', 'GET', '/api/teams')).status).toBe(401)
    })

    it('writes last_used_at at most once a minute', async () => {
      const created = (await owner.post('/api/auth/tokens', { name: 'usage' })).body
      const lastUsed = async (): Promise<number | null> => {
        const row = await t.database.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', created.token.id).executeTakeFirstOrThrow()
        return row.last_used_at ? new Date(row.last_used_at).getTime() : null
      }
      expect(await lastUsed()).toBeNull()
      await bearer(t, created.secret, 'GET', '/api/teams')
      const first = await lastUsed()
      expect(first).not.toBeNull()
      const thirtySecondsAgo = new Date(Date.now() - 30_000)
      await t.database.db.updateTable('api_tokens').set({ last_used_at: thirtySecondsAgo }).where('id', '=', created.token.id).execute()
      await bearer(t, created.secret, 'GET', '/api/teams')
      expect(await lastUsed()).toBe(thirtySecondsAgo.getTime())
      await t.database.db.updateTable('api_tokens').set({ last_used_at: new Date(Date.now() - 61_000) }).where('id', '=', created.token.id).execute()
      await bearer(t, created.secret, 'GET', '/api/teams')
      expect(await lastUsed()).toBeGreaterThan(thirtySecondsAgo.getTime())
    })

    it('cannot reach another team’s sessions (404)', async () => {
      const session = (await owner.post('/api/sessions', { team_id: teamId, feature_name: 'Private' })).body.session.id
      const { secret } = (await stranger.post('/api/auth/tokens', { name: 'stranger' })).body
      for (const path of [`/api/sessions/${session}`, `/api/sessions/${session}/events`, `/api/sessions/${session}/decisions`]) {
        const res = await bearer(t, secret, 'GET', path)
        expect(res.status).toBe(404)
        expect((await res.json()).error.code).toBe('not_found')
      }
      expect((await bearer(t, secret, 'POST', `/api/sessions/${session}/cancel`)).status).toBe(404)
    })

    it('keeps only the hash: the secret appears nowhere in the database', async () => {
      const { secret } = (await owner.post('/api/auth/tokens', { name: 'at rest' })).body
      expect((await bearer(t, secret, 'GET', '/api/auth/me')).status).toBe(200)
      const body = secret.slice('sage_'.length)
      const { rows: tables } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(t.database.db)
      expect(tables.map((r) => r.table_name)).toContain('api_tokens')
      for (const { table_name } of tables) {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from ${sql.table(table_name)} as x where x::text like ${`%${body}%`}`.execute(t.database.db)
        expect({ table: table_name, n: Number(rows[0]?.n) }).toEqual({ table: table_name, n: 0 })
      }
    })

    it('HTML pages accept only the cookie', async () => {
      const { secret } = (await owner.post('/api/auth/tokens', { name: 'pages' })).body
      const res = await bearer(t, secret, 'GET', '/settings/tokens')
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toContain('/login')
    })

    it('creates and revokes tokens on /settings/tokens with plain forms', async () => {
      const form = (fields: Record<string, string>): Promise<Response> =>
        req(t.app, '/settings/tokens', {
          method: 'POST',
          headers: { cookie: `sage_session=${owner.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: owner.csrf ?? '', ...fields }).toString(),
        })
      const bad = await form({ name: 'Laptop', expires_in_days: 'soon' })
      expect(bad.status).toBe(422)
      expect(await bad.text()).toContain('Expires after')
      const created = await form({ name: 'Laptop <b>', expires_in_days: '7' })
      expect(created.status).toBe(200)
      const html = await created.text()
      const secret = /id="token-secret"[^>]*>\s*(sage_[A-Za-z0-9_-]{43})/.exec(html)?.[1]
      expect(secret).toBeDefined()
      expect(html).toContain('Laptop &lt;b&gt;')
      expect((await bearer(t, secret as string, 'GET', '/api/auth/me')).status).toBe(200)
      const page = await req(t.app, '/settings/tokens', { headers: { cookie: `sage_session=${owner.cookie}` } })
      const listed = await page.text()
      expect(listed).not.toContain(secret as string)
      const id = (await owner.get('/api/auth/tokens')).body.find((x: { name: string }) => x.name === 'Laptop <b>').id
      expect(listed).toContain(`/settings/tokens/${id}/revoke`)
      const revoke = await req(t.app, `/settings/tokens/${id}/revoke`, {
        method: 'POST',
        headers: { cookie: `sage_session=${owner.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: owner.csrf ?? '' }).toString(),
      })
      expect(revoke.status).toBe(303)
      expect((await bearer(t, secret as string, 'GET', '/api/auth/me')).status).toBe(401)
    })
  })
}

describe('rate limits on bearer tokens', () => {
  let t: TestApp
  let base: string
  beforeAll(async () => {
    t = await startTestApp({
      authLimits: {
        loginFailuresPerAccount: { limit: 10, windowSeconds: 900 },
        loginAttemptsPerIp: { limit: 3, windowSeconds: 900 },
        signupsPerIp: { limit: 20, windowSeconds: 3600 },
        signupsPerAccount: { limit: 10, windowSeconds: 3600 },
      },
    })
    t.app.listen({ port: 0, hostname: '127.0.0.1' })
    base = `http://127.0.0.1:${t.app.server?.port}`
  }, 60_000)
  afterAll(async () => {
    await t.app.stop(true)
    await t.close()
  })

  it('answers 429 with Retry-After once an address sent too many bad secrets, even for a good one', async () => {
    const owner = await signUp(t.app)
    const { secret } = (await owner.post('/api/auth/tokens', { name: 'limited' })).body
    const get = (s: string): Promise<Response> => fetch(`${base}/api/teams`, { headers: { authorization: `Bearer ${s}` } })
    expect((await get(secret)).status).toBe(200)
    for (let i = 0; i < 3; i++) expect((await get(`sage_${'x'.repeat(43)}`)).status).toBe(401)
    const limited = await get(secret)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})
