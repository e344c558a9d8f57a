import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type ApiClient, logIn, signUp, startTestApp, type TestApp } from '../support/http.ts'
import { testEngines } from '../support/engines.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const pglite = testEngines().find((e) => e.name === 'pglite')

// The embedded default: PGlite and no Redis. Sessions and rate limits live in the database.
describe.skipIf(!pglite)('the JSON API on the embedded default (PGlite, no Redis)', () => {
  let t: TestApp
  let owner: ApiClient
  beforeAll(async () => {
    t = await startTestApp({ engine: pglite, store: 'database' })
    owner = await signUp(t.app)
    // PGlite boots and migrates in this hook: slow on a busy machine.
  }, 60_000)
  afterAll(() => t.close())

  it('logs in, keeps the session in auth_sessions and logs out server-side', async () => {
    const again = await logIn(t.app, owner.user?.username ?? '')
    const rows = await t.database.db.selectFrom('auth_sessions').select('id').where('user_id', '=', owner.user?.id ?? 0).execute()
    expect(rows).toHaveLength(2)
    expect((await again.post('/api/auth/logout')).status).toBe(204)
    expect((await again.get('/api/auth/me')).status).toBe(401)
    expect((await owner.get('/api/auth/me')).status).toBe(200)
  })

  it('rate-limits wrong passwords through the rate_limits table', async () => {
    const victim = await signUp(t.app)
    for (let i = 0; i < 10; i++) await victim.post('/api/auth/login', { username: victim.user?.username, password: 'nope nope' })
    expect((await victim.post('/api/auth/login', { username: victim.user?.username, password: 'nope nope' })).status).toBe(429)
  })

  it('runs sessions, full-text decision search and the SQL dashboard aggregates', async () => {
    const team = (await owner.post('/api/teams', { name: 'Embedded' })).body.team.id
    const session = (await owner.post('/api/sessions', { team_id: team, feature_name: 'Offline mode' })).body.session.id
    await owner.post(`/api/sessions/${session}/decisions`, { decision_text: 'Cache pages in a service worker', category: 'frontend', confidence: 'high' })
    const found = await owner.get(`/api/sessions/${session}/decisions?q=${encodeURIComponent('caching workers')}`)
    expect(found.body.map((d: { decision_text: string }) => d.decision_text)).toEqual(['Cache pages in a service worker'])
    expect((await owner.put(`/api/sessions/${session}/complete`)).body.session.status).toBe('completed')
    const stats = await owner.get(`/api/dashboard/teams/${team}/stats`)
    expect(stats.body).toMatchObject({ sessions: { total: 1, completed: 1 }, tasks: { total: 7 }, decisions: 1 })
    expect((await owner.get(`/api/dashboard/teams/${team}/agents`)).body).toHaveLength(7)
    expect((await owner.get(`/api/dashboard/teams/${team}/decisions`)).body).toHaveLength(1)
    expect((await owner.delete(`/api/teams/${team}`)).status).toBe(204)
  })
})
