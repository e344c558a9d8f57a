import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { PageClient } from '../pages/page-client.ts'
import { type ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'

// Integration tests start databases and servers: more than bun's 5 s default.
setDefaultTimeout(60_000)

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

async function teamWith(owner: ApiClient, member?: ApiClient): Promise<number> {
  const res = await owner.post('/api/teams', { name: 'Settings team', is_shared: true })
  expect(res.status).toBe(201)
  const id = res.body.team.id as number
  if (member) expect((await owner.post(`/api/teams/${id}/invite`, { username: member.user?.username, role: 'member' })).status).toBe(201)
  return id
}

const DEFAULTS = { review: 'none', review_below_confidence: null, session_budget_usd: null, monthly_budget_usd: null }

describe('team settings (API.md team.settings)', () => {
  it('gives a new team the default settings, and PUT replaces only the keys given', async () => {
    const owner = await signUp(t.app)
    const id = await teamWith(owner)
    expect((await owner.get(`/api/teams/${id}`)).body.team.settings).toEqual(DEFAULTS)
    const put = await owner.put(`/api/teams/${id}`, { settings: { review: ['backend_developer'], monthly_budget_usd: 25.5 } })
    expect(put.status).toBe(200)
    expect(put.body.team.settings).toEqual({ ...DEFAULTS, review: ['backend_developer'], monthly_budget_usd: 25.5 })
    const again = await owner.put(`/api/teams/${id}`, { settings: { review_below_confidence: 0.6, monthly_budget_usd: null } })
    expect(again.body.team.settings).toEqual({ ...DEFAULTS, review: ['backend_developer'], review_below_confidence: 0.6 })
  })

  it('refuses bad settings with 422 naming the field, and changes nothing', async () => {
    const owner = await signUp(t.app)
    const id = await teamWith(owner)
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ session_budget_usd: -1 }, 'session_budget_usd'],
      [{ session_budget_usd: 1e12 }, 'session_budget_usd'],
      [{ monthly_budget_usd: '10' }, 'monthly_budget_usd'],
      [{ review_below_confidence: 1.5 }, 'review_below_confidence'],
      [{ review: 'some' }, 'review'],
      [{ review: ['backend_developer', 'backend_developer'] }, 'review'],
      [{ review: [] }, 'review'],
      [{ unknown: 1 }, ''],
    ]
    for (const [settings, field] of bad) {
      const res = await owner.put(`/api/teams/${id}`, { settings })
      expect(res.status).toBe(422)
      expect(res.body.error.code).toBe('validation_failed')
      expect(JSON.stringify(res.body.error.details)).toContain(field)
    }
    // NaN is not JSON: a body that says it is refused as malformed or invalid, never stored.
    const nan = await owner.put(`/api/teams/${id}`, undefined, { raw: '{"settings":{"session_budget_usd":NaN}}' })
    expect([400, 422]).toContain(nan.status)
    expect((await owner.get(`/api/teams/${id}`)).body.team.settings).toEqual(DEFAULTS)
  })

  it('lets only the owner change settings (a member gets 403)', async () => {
    const owner = await signUp(t.app)
    const member = await signUp(t.app)
    const id = await teamWith(owner, member)
    const res = await member.put(`/api/teams/${id}`, { settings: { session_budget_usd: 5 } })
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('forbidden')
  })

  it('starts sessions with the team settings as defaults, and a session may give its own', async () => {
    const owner = await signUp(t.app)
    const id = await teamWith(owner)
    await owner.put(`/api/teams/${id}`, { settings: { review: 'all', session_budget_usd: 2 } })
    const inherited = await owner.post('/api/sessions', { team_id: id, feature_name: 'Inherits', agents: ['software_architect'] })
    expect(inherited.status).toBe(201)
    expect(inherited.body.session).toMatchObject({ review: 'all', budget_usd: 2, parent_id: null, awaiting: null, consistency_score: null })
    const own = await owner.post('/api/sessions', {
      team_id: id,
      feature_name: 'Own',
      agents: ['software_architect'],
      review: ['software_architect'],
      budget_usd: null,
    })
    expect(own.status).toBe(201)
    expect(own.body.session).toMatchObject({ review: ['software_architect'], budget_usd: null })
    const bad = await owner.post('/api/sessions', { team_id: id, feature_name: 'Bad', budget_usd: -3 })
    expect(bad.status).toBe(422)
  })
})

describe('/teams/:id/settings (page)', () => {
  it('shows the form to the owner and saves it without JavaScript', async () => {
    const owner = await signUp(t.app)
    const id = await teamWith(owner)
    const page = new PageClient(t.app, owner)
    const form = await page.get(`/teams/${id}/settings`)
    expect(form.status).toBe(200)
    expect(form.html).toContain('name="session_budget_usd"')
    const saved = await page.post(`/teams/${id}/settings`, {
      review: 'roles',
      review_roles: ['backend_developer', 'security_specialist'],
      review_below_confidence: '0.5',
      session_budget_usd: '3.25',
      monthly_budget_usd: '',
    })
    expect(saved.status).toBe(303)
    expect(saved.location).toBe(`/teams/${id}/settings`)
    expect((await owner.get(`/api/teams/${id}`)).body.team.settings).toEqual({
      review: ['backend_developer', 'security_specialist'],
      review_below_confidence: 0.5,
      session_budget_usd: 3.25,
      monthly_budget_usd: null,
    })
  })

  it('shows the form again with its errors (422) and keeps the saved settings', async () => {
    const owner = await signUp(t.app)
    const id = await teamWith(owner)
    const page = new PageClient(t.app, owner)
    const res = await page.post(`/teams/${id}/settings`, { review: 'roles', session_budget_usd: 'ten', monthly_budget_usd: '-4' })
    expect(res.status).toBe(422)
    expect(res.html).toContain('Session budget (USD)')
    expect(res.html).toContain('Monthly budget (USD) must not be negative')
    expect(res.html).toContain('value="ten"')
    expect((await owner.get(`/api/teams/${id}`)).body.team.settings).toEqual(DEFAULTS)
  })

  it('is for owners only: a member gets 403', async () => {
    const owner = await signUp(t.app)
    const member = await signUp(t.app)
    const id = await teamWith(owner, member)
    const page = new PageClient(t.app, member)
    expect((await page.get(`/teams/${id}/settings`)).status).toBe(403)
    expect((await page.post(`/teams/${id}/settings`, { review: 'all' })).status).toBe(403)
  })
})

describe('/teams/:id/settings: name, sharing, delete', () => {
  it('renames and describes the team, and refuses a blank name with 422', async () => {
    const owner = await signUp(t.app)
    const id = await teamWith(owner)
    const page = new PageClient(t.app, owner)
    const saved = await page.post(`/teams/${id}/settings/team`, { name: 'Renamed <team>', description: 'Now with a description' })
    expect(saved.status).toBe(303)
    expect((await owner.get(`/api/teams/${id}`)).body.team).toMatchObject({ name: 'Renamed <team>', description: 'Now with a description' })
    const shown = await page.get(`/teams/${id}/settings`)
    // Text is escaped; inside a quoted attribute `<` is inert (only `"` and `&` are escaped there).
    expect(shown.html).toContain('<span>Renamed &lt;team&gt;</span>')
    expect(shown.html).toContain('value="Renamed <team>"')
    expect(shown.html.replaceAll(/"[^"]*"/g, '""')).not.toContain('<team>')
    const blank = await page.post(`/teams/${id}/settings/team`, { name: '   ', description: '' })
    expect(blank.status).toBe(422)
    expect(blank.html).toContain('Name')
    expect((await owner.get(`/api/teams/${id}`)).body.team.name).toBe('Renamed <team>')
  })

  it('makes a personal team shared when someone is invited, and a personal team shows no invite form', async () => {
    const owner = await signUp(t.app)
    const member = await signUp(t.app)
    const created = await owner.post('/api/teams', { name: 'Personal first' })
    const id = created.body.team.id as number
    expect(created.body.team.is_shared).toBe(false)
    const page = new PageClient(t.app, owner)
    const teamPage = await page.get(`/teams/${id}`)
    expect(teamPage.html).toContain('Share this team')
    expect(teamPage.html).not.toContain('name="role"')
    expect((await owner.post(`/api/teams/${id}/invite`, { username: member.user?.username, role: 'member' })).status).toBe(201)
    expect((await owner.get(`/api/teams/${id}`)).body.team.is_shared).toBe(true)
  })

  it('asks before making a shared team with members personal, then removes the members', async () => {
    const owner = await signUp(t.app)
    const member = await signUp(t.app)
    const id = await teamWith(owner, member)
    const api = await owner.put(`/api/teams/${id}`, { is_shared: false })
    expect(api.status).toBe(409)
    expect(api.body.error.code).toBe('conflict')
    const page = new PageClient(t.app, owner)
    const ask = await page.post(`/teams/${id}/unshare`)
    expect(ask.status).toBe(200)
    expect(ask.html).toContain('Make this team personal?')
    expect((await member.get(`/api/teams/${id}`)).status).toBe(200)
    const done = await page.post(`/teams/${id}/unshare`, { confirmed: '1' })
    expect(done.status).toBe(303)
    expect((await owner.get(`/api/teams/${id}`)).body).toMatchObject({ team: { is_shared: false }, members: [{ role: 'owner' }] })
    expect((await member.get(`/api/teams/${id}`)).status).toBe(404)
  })

  it('asks before deleting the team without JavaScript, then deletes it with its sessions', async () => {
    const owner = await signUp(t.app)
    const id = await teamWith(owner)
    const session = await owner.post('/api/sessions', { team_id: id, feature_name: 'Goes with the team', agents: ['software_architect'] })
    const page = new PageClient(t.app, owner)
    const ask = await page.post(`/teams/${id}/delete`)
    expect(ask.status).toBe(200)
    expect(ask.html).toContain('Delete team')
    expect((await owner.get(`/api/teams/${id}`)).status).toBe(200)
    const done = await page.post(`/teams/${id}/delete`, { confirmed: '1' })
    expect(done.status).toBe(303)
    expect(done.location).toBe('/teams')
    expect((await owner.get(`/api/teams/${id}`)).status).toBe(404)
    expect((await owner.get(`/api/sessions/${session.body.session.id}`)).status).toBe(404)
  })

  it('lets no member share, unshare or delete (403)', async () => {
    const owner = await signUp(t.app)
    const member = await signUp(t.app)
    const id = await teamWith(owner, member)
    const page = new PageClient(t.app, member)
    for (const path of ['share', 'unshare', 'delete', 'settings/team']) {
      expect((await page.post(`/teams/${id}/${path}`, { confirmed: '1', name: 'x' })).status).toBe(403)
    }
    expect((await owner.get(`/api/teams/${id}`)).status).toBe(200)
  })
})
