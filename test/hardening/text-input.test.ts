import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type ApiClient, req, signUp, startTestApp, type TestApp, uniqueName } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const LONE = 'a\ud800b'
const RLO = 'invoice\u202Etxt.exe'

let t: TestApp
let owner: ApiClient
let teamId: number

beforeAll(async () => {
  t = await startTestApp()
  owner = await signUp(t.app)
  teamId = (await owner.post('/api/teams', { name: 'Text' })).body.team.id
})
afterAll(() => t.close())

describe('a lone UTF-16 surrogate in any text field', () => {
  it('is stored as U+FFFD in a session’s feature name and description, never a 500', async () => {
    const res = await owner.post('/api/sessions', { team_id: teamId, feature_name: LONE, description: `x ${LONE}\ny` })
    expect(res.status).toBe(201)
    const row = await t.database.db.selectFrom('execution_sessions').select(['feature_name', 'description']).where('id', '=', res.body.session.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ feature_name: 'a\ufffdb', description: 'x a\ufffdb\ny' })
  })

  it('is stored as U+FFFD in a decision and a team, the same rule everywhere', async () => {
    const session = (await owner.post('/api/sessions', { team_id: teamId, feature_name: 'Decide' })).body.session.id
    const decision = await owner.post(`/api/sessions/${session}/decisions`, { decision_text: LONE, category: LONE, confidence: 'high' })
    expect(decision.status).toBe(201)
    expect([decision.body.decision.decision_text, decision.body.decision.category]).toEqual(['a\ufffdb', 'a\ufffdb'])
    const team = await owner.post('/api/teams', { name: LONE, description: LONE })
    expect(team.status).toBe(201)
    expect([team.body.team.name, team.body.team.description]).toEqual(['a\ufffdb', 'a\ufffdb'])
  })

  it('cannot come through a query string; a NUL there is refused with 422 naming the field, as in a body', async () => {
    const session = (await owner.post('/api/sessions', { team_id: teamId, feature_name: 'Search' })).body.session.id
    const res = await owner.get(`/api/sessions/${session}/decisions?q=a%00b`)
    expect(res.status).toBe(422)
    expect(JSON.stringify(res.body.error.details)).toContain('q')
    const body = await owner.post('/api/teams', { name: 'a\u0000b' })
    expect(body.status).toBe(422)
    expect(JSON.stringify(body.body.error.details)).toContain('name')
  })
})

describe('bidirectional control characters', () => {
  it('are refused in a team name with 422 naming the field', async () => {
    for (const name of [RLO, 'a\u2066b', 'a\u202Ab']) {
      const res = await owner.post('/api/teams', { name })
      expect(res.status).toBe(422)
      expect(JSON.stringify(res.body.error.details)).toContain('name')
    }
    const renamed = await owner.put(`/api/teams/${teamId}`, { name: RLO })
    expect(renamed.status).toBe(422)
  })

  it('are refused in a username with 422 naming the field', async () => {
    const res = await owner.post('/api/auth/signup', { username: `u\u202E${uniqueName()}`.slice(0, 40), email: `${uniqueName()}@x.test`, password: 'long enough pw' })
    expect(res.status).toBe(422)
    expect(JSON.stringify(res.body.error.details)).toContain('username')
  })

  it('are removed from rendered pages, so text already stored cannot reorder the page', async () => {
    await t.database.db.updateTable('teams').set({ name: RLO }).where('id', '=', teamId).execute()
    const page = await req(t.app, `/teams/${teamId}`, { headers: { cookie: `sage_session=${owner.cookie}` } })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('invoicetxt.exe')
    expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/)
  })
})
