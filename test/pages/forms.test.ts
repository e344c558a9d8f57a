import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { signUp, startTestApp, type TestApp, uniqueName } from '../support/http.ts'
import { PageClient } from './page-client.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

let t: TestApp

beforeAll(async () => {
  t = await startTestApp()
})

afterAll(async () => {
  await t.close()
})

/** A logged-in page client and its user. */
async function loggedIn(): Promise<PageClient> {
  return new PageClient(t.app, await signUp(t.app))
}

/** Creates a team through the form; returns its id. */
async function createTeam(client: PageClient, name = 'Platform'): Promise<number> {
  const res = await client.post('/teams', { name, description: 'Auth and billing', is_shared: 'true' })
  expect(res.status).toBe(303)
  return Number(/^\/teams\/(\d+)$/.exec(res.location ?? '')?.[1])
}

describe('pages without a login', () => {
  it('redirects a protected page to /login with the page as next (303)', async () => {
    const res = await new PageClient(t.app).get('/teams?x=1')
    expect(res.status).toBe(303)
    expect(res.location).toBe(`/login?next=${encodeURIComponent('/teams?x=1')}`)
  })

  it('tells htmx to navigate to the login page instead of swapping it into a fragment', async () => {
    const res = await new PageClient(t.app).get('/dashboard', { htmx: 'fragment' })
    expect(res.status).toBe(401)
    expect(res.headers.get('hx-redirect')).toBe('/login?next=%2Fdashboard')
  })

  it('shows the landing page at / with links to sign up and log in', async () => {
    const res = await new PageClient(t.app).get('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.html).toContain('href="/signup"')
  })
})

describe('sign up and log in without JavaScript', () => {
  it('signs up with a plain form post: 303 home with the login cookie, then greets the user once with a flash', async () => {
    const client = new PageClient(t.app)
    const username = uniqueName('form')
    const res = await client.post('/signup', { username, email: `${username}@example.test`, password: 'long enough password' })
    expect(res.status).toBe(303)
    expect(res.location).toBe('/')
    expect(client.cookie).toBeTruthy()
    const home = await client.get('/')
    expect(home.html).toContain(`Hello, ${username}`)
    expect(home.html).toContain('Your account is ready')
    expect(home.headers.getSetCookie().some((c) => c.startsWith('sage_flash=;'))).toBe(true)
  })

  it('re-renders the signup form with 422 and each error next to its field, keeping values but never the password', async () => {
    const res = await new PageClient(t.app).post('/signup', { username: 'a', email: 'not-an-email', password: 'short' })
    expect(res.status).toBe(422)
    expect(res.html).toContain('id="field-username-error"')
    expect(res.html).toContain('Username must be at least 3 characters')
    expect(res.html).toContain('id="field-email-error"')
    expect(res.html).toContain('id="field-password-error"')
    expect(res.html).toContain('value="not-an-email"')
    expect(res.html).not.toContain('value="short"')
  })

  it('says a taken username is taken (422)', async () => {
    const api = await signUp(t.app)
    const username = api.user?.username ?? ''
    const res = await new PageClient(t.app).post('/signup', { username, email: `${uniqueName()}@example.test`, password: 'long enough password' })
    expect(res.status).toBe(422)
    expect(res.html).toContain('Username is already taken.')
  })

  it('logs in and goes to the same-site next page, refusing an off-site next', async () => {
    const api = await signUp(t.app)
    const name = api.user?.username ?? ''
    const good = await new PageClient(t.app).post('/login', { username: name, password: 'correct horse battery', next: '/dashboard' })
    expect(good.status).toBe(303)
    expect(good.location).toBe('/dashboard')
    const evil = await new PageClient(t.app).post('/login', { username: name, password: 'correct horse battery', next: '//evil.example/x' })
    expect(evil.location).toBe('/')
  })

  it('answers a wrong password with 401 and one message that does not say which field was wrong', async () => {
    const api = await signUp(t.app)
    const res = await new PageClient(t.app).post('/login', { username: api.user?.username ?? '', password: 'wrong password!' })
    expect(res.status).toBe(401)
    expect(res.html).toContain('Wrong username or password.')
  })

  it('logs out with the form: 303 home, cookie cleared, session gone server-side', async () => {
    const client = await loggedIn()
    const res = await client.post('/logout')
    expect(res.status).toBe(303)
    expect(client.cookie).toBeNull()
    const again = await client.get('/teams')
    expect(again.status).toBe(303)
  })
})

describe('CSRF on form posts', () => {
  it('refuses a logged-in form post without the _csrf field with a 403 page', async () => {
    const client = await loggedIn()
    const res = await client.post('/teams', { name: 'No token' }, { csrf: false })
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.html).toContain('security token')
    const rows = await t.deps.db.selectFrom('teams').select('id').where('name', '=', 'No token').execute()
    expect(rows).toHaveLength(0)
  })

  it('accepts the token as the X-CSRF-Token header (htmx)', async () => {
    const client = await loggedIn()
    const res = await client.post('/teams', { name: 'Header token' }, { csrf: false, htmx: 'boosted', headers: { 'x-csrf-token': client.csrf ?? '' } })
    expect(res.status).toBe(303)
  })
})

describe('teams', () => {
  it('creates a team with the form (303 to it, row written) and shows it with the start-session form', async () => {
    const client = await loggedIn()
    const teamId = await createTeam(client, 'Form team')
    const row = await t.deps.db.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ name: 'Form team', description: 'Auth and billing', is_shared: true })
    const page = await client.get(`/teams/${teamId}`)
    expect(page.status).toBe(200)
    expect(page.html).toContain('id="start-session-form"')
    expect(page.html).toContain('Team created.')
  })

  it('re-renders the teams page with 422 when the name is missing', async () => {
    const client = await loggedIn()
    const res = await client.post('/teams', { name: '  ' })
    expect(res.status).toBe(422)
    expect(res.html).toContain('Name is required')
  })

  it('answers 404 (an HTML page) for a team the caller is not in, and for a non-numeric id', async () => {
    const owner = await loggedIn()
    const teamId = await createTeam(owner)
    const stranger = await loggedIn()
    const res = await stranger.get(`/teams/${teamId}`)
    expect(res.status).toBe(404)
    expect(res.html).toContain('Page not found')
    expect((await stranger.get('/teams/abc')).status).toBe(404)
    expect((await stranger.post(`/teams/${teamId}/invite`, { username: 'x', role: 'member' })).status).toBe(404)
  })

  it('invites a user by username or email, changes their role and removes them', async () => {
    const owner = await loggedIn()
    const teamId = await createTeam(owner)
    const invitee = await signUp(t.app)
    const user = invitee.user ?? { id: 0, email: '' }
    const res = await owner.post(`/teams/${teamId}/invite`, { username: user.email, role: 'viewer' })
    expect(res.status).toBe(303)
    const member = () =>
      t.deps.db.selectFrom('team_memberships').select('role').where('team_id', '=', teamId).where('user_id', '=', user.id).executeTakeFirst()
    expect((await member())?.role).toBe('viewer')
    expect((await owner.post(`/teams/${teamId}/members/${user.id}/role`, { role: 'member' })).status).toBe(303)
    expect((await member())?.role).toBe('member')
    expect((await owner.post(`/teams/${teamId}/members/${user.id}/remove`, { confirmed: '1' })).status).toBe(303)
    expect(await member()).toBeUndefined()
  })

  it('shows an unknown invitee as a field error (422) and keeps the URL on the team for htmx', async () => {
    const owner = await loggedIn()
    const teamId = await createTeam(owner)
    const res = await owner.post(`/teams/${teamId}/invite`, { username: 'nobody_like_this', role: 'member' })
    expect(res.status).toBe(422)
    expect(res.html).toContain('No user has that username or email.')
    expect(res.headers.get('hx-push-url')).toBe(`/teams/${teamId}`)
  })

  it('shows a viewer no start-session form and refuses their start post with 403', async () => {
    const owner = await loggedIn()
    const teamId = await createTeam(owner)
    const viewerApi = await signUp(t.app)
    await owner.post(`/teams/${teamId}/invite`, { username: viewerApi.user?.username ?? '', role: 'viewer' })
    const viewer = new PageClient(t.app, viewerApi)
    const page = await viewer.get(`/teams/${teamId}`)
    expect(page.status).toBe(200)
    expect(page.html).not.toContain('id="start-session-form"')
    const res = await viewer.post('/sessions', { team_id: String(teamId), feature_name: 'Nope', agents: 'software_architect' })
    expect(res.status).toBe(403)
  })
})

describe('sessions', () => {
  async function startSession(client: PageClient, teamId: number, agents: string | string[]): Promise<number> {
    const res = await client.post('/sessions', { team_id: String(teamId), feature_name: 'Password reset', description: 'By email', plan: 'dag', agents })
    expect(res.status).toBe(303)
    return Number(/^\/sessions\/(\d+)$/.exec(res.location ?? '')?.[1])
  }

  it('starts a session from the form with one ticked agent or several (a single checkbox is not an array)', async () => {
    const client = await loggedIn()
    const teamId = await createTeam(client)
    const one = await startSession(client, teamId, 'software_architect')
    const three = await startSession(client, teamId, ['software_architect', 'backend_developer', 'security_specialist'])
    const count = async (id: number) => (await t.deps.db.selectFrom('agent_tasks').select('id').where('session_id', '=', id).execute()).length
    expect(await count(one)).toBe(1)
    expect(await count(three)).toBe(3)
    const page = await client.get(`/sessions/${three}`)
    expect(page.status).toBe(200)
    expect(page.html.match(/class="agent-card /g)).toHaveLength(3)
    expect(page.html).toContain(`hx-sse:connect="/sessions/${three}/stream?after=`)
    expect(page.html).toContain('Waiting for Software Architect (stage 2).')
    expect(page.html).toContain('Waiting for Backend Developer (stage 3).')
  })

  it('re-renders the team page with 422 when no agent is ticked', async () => {
    const client = await loggedIn()
    const teamId = await createTeam(client)
    const res = await client.post('/sessions', { team_id: String(teamId), feature_name: 'Nothing to run' })
    expect(res.status).toBe(422)
    expect(res.html).toContain('id="start-agents-error"')
    expect(res.html).toContain('value="Nothing to run"')
    expect(res.headers.get('hx-push-url')).toBe(`/teams/${teamId}`)
  })

  it('uses the WebSocket transport when asked', async () => {
    const client = await loggedIn()
    const teamId = await createTeam(client)
    const id = await startSession(client, teamId, 'software_architect')
    const page = await client.get(`/sessions/${id}?transport=ws`)
    expect(page.html).toContain(`hx-ws:connect="/ws/sessions/${id}?after=`)
  })

  it('adds a decision without JavaScript (303 back, row written) and with htmx (a fresh form plus the journal out of band)', async () => {
    const client = await loggedIn()
    const teamId = await createTeam(client)
    const id = await startSession(client, teamId, 'software_architect')
    const plain = await client.post(`/sessions/${id}/decisions`, { decision_text: 'Tokens are single-use', category: 'security', confidence: 'high' })
    expect(plain.status).toBe(303)
    expect(plain.location).toBe(`/sessions/${id}#journal-title`)
    const frag = await client.post(`/sessions/${id}/decisions`, { decision_text: 'Links expire in 30 minutes', category: 'security', confidence: 'medium' }, { htmx: 'fragment' })
    expect(frag.status).toBe(200)
    expect(frag.html.startsWith('<form id="decision-form"')).toBe(true)
    expect(frag.html).toContain('<ol id="journal-list" class="journal-list" hx-swap-oob="true">')
    expect(frag.html).toContain('Tokens are single-use')
    expect(frag.html).not.toContain('<html')
    const rows = await t.deps.db.selectFrom('session_decisions').select('decision_text').where('session_id', '=', id).orderBy('id').execute()
    expect(rows.map((r) => r.decision_text)).toEqual(['Tokens are single-use', 'Links expire in 30 minutes'])
  })

  it('answers an invalid decision with the form and its errors: a 422 fragment for htmx, the whole page without', async () => {
    const client = await loggedIn()
    const teamId = await createTeam(client)
    const id = await startSession(client, teamId, 'software_architect')
    const frag = await client.post(`/sessions/${id}/decisions`, { decision_text: '', category: 'x', confidence: 'sure' }, { htmx: 'fragment' })
    expect(frag.status).toBe(422)
    expect(frag.html).toContain('Decision is required')
    expect(frag.html).toContain('id="decision-confidence-error"')
    expect(frag.html).not.toContain('<html')
    const page = await client.post(`/sessions/${id}/decisions`, { decision_text: '', category: 'x', confidence: 'high' })
    expect(page.status).toBe(422)
    expect(page.html).toContain('<html')
    expect(page.html).toContain('Decision is required')
  })

  it('completes a session with the form: 303 back, session completed, unfinished tasks cancelled; a second press says it had ended', async () => {
    const client = await loggedIn()
    const teamId = await createTeam(client)
    const id = await startSession(client, teamId, ['software_architect', 'backend_developer'])
    expect((await client.post(`/sessions/${id}/complete`, { confirmed: '1' })).status).toBe(303)
    const row = await t.deps.db.selectFrom('execution_sessions').select('status').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.status).toBe('completed')
    const tasks = await t.deps.db.selectFrom('agent_tasks').select('status').where('session_id', '=', id).execute()
    expect(tasks.every((x) => x.status === 'cancelled')).toBe(true)
    const again = await client.post(`/sessions/${id}/complete`, { confirmed: '1' })
    expect(again.status).toBe(303)
    expect((await client.get(`/sessions/${id}`)).html).toContain('That session had already ended.')
  })

  it('answers 404 for a session, its stream, replay and tasks when the caller is not in its team', async () => {
    const owner = await loggedIn()
    const teamId = await createTeam(owner)
    const id = await startSession(owner, teamId, 'software_architect')
    const task = await t.deps.db.selectFrom('agent_tasks').select('id').where('session_id', '=', id).executeTakeFirstOrThrow()
    const stranger = await loggedIn()
    for (const path of [`/sessions/${id}`, `/sessions/${id}/replay`, `/tasks/${task.id}`, `/sessions/${id}/stream`]) {
      expect({ path, status: (await stranger.get(path)).status }).toEqual({ path, status: 404 })
    }
    expect((await stranger.post(`/sessions/${id}/decisions`, { decision_text: 'x', category: 'y', confidence: 'high' })).status).toBe(404)
  })

  it('renders the replay, the snapshot inspector, the decision search and the dashboard', async () => {
    const client = await loggedIn()
    const teamId = await createTeam(client)
    const id = await startSession(client, teamId, 'software_architect')
    await client.post(`/sessions/${id}/decisions`, { decision_text: 'Cache the avatars at the edge', category: 'infrastructure', confidence: 'low' })
    const task = await t.deps.db.selectFrom('agent_tasks').select('id').where('session_id', '=', id).executeTakeFirstOrThrow()
    expect((await client.get(`/sessions/${id}/replay`)).status).toBe(200)
    const inspector = await client.get(`/tasks/${task.id}`)
    expect(inspector.status).toBe(200)
    expect(inspector.html).toContain('No snapshot yet')
    const found = await client.get('/decisions?q=avatars')
    expect(found.html).toContain('<mark')
    expect(found.html).toContain('Cache the')
    const none = await client.get('/decisions?q=kubernetes')
    expect(none.html).toContain('No matching decisions')
    const dash = await client.get(`/dashboard?team_id=${teamId}`)
    expect(dash.status).toBe(200)
    expect(dash.html).toContain('<svg')
  })
})
