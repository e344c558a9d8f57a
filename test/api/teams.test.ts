import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import { ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

async function teamOf(owner: ApiClient, body: Record<string, unknown> = { name: 'Platform' }): Promise<number> {
  const res = await owner.post('/api/teams', body)
  expect(res.status).toBe(201)
  return res.body.team.id
}

async function invite(owner: ApiClient, teamId: number, who: ApiClient, role: 'member' | 'viewer'): Promise<void> {
  const res = await owner.post(`/api/teams/${teamId}/invite`, { username: who.user?.username, role })
  expect(res.status).toBe(201)
}

describe('teams', () => {
  it('creates a team with 201; the creator is its owner and sees it in their list', async () => {
    const owner = await signUp(t.app)
    const res = await owner.post('/api/teams', { name: '  Payments  ', description: 'Cards & <b>wallets</b>', is_shared: true })
    expect(res.status).toBe(201)
    expect(res.body.team).toMatchObject({ name: 'Payments', description: 'Cards & <b>wallets</b>', is_shared: true, owner_id: owner.user?.id, role: 'owner' })
    expect(Object.keys(res.body.team).sort()).toEqual(['created_at', 'description', 'id', 'is_shared', 'name', 'owner_id', 'role', 'settings', 'updated_at'])
    const list = await owner.get('/api/teams')
    expect(list.body.map((team: { id: number }) => team.id)).toEqual([res.body.team.id])
    const other = await signUp(t.app)
    expect((await other.get('/api/teams')).body).toEqual([])
  })

  it('shows a team with its members to a viewer, and 404 to a non-member', async () => {
    const owner = await signUp(t.app)
    const viewer = await signUp(t.app)
    const stranger = await signUp(t.app)
    const id = await teamOf(owner)
    await invite(owner, id, viewer, 'viewer')
    const res = await viewer.get(`/api/teams/${id}`)
    expect(res.status).toBe(200)
    expect(res.body.team.role).toBe('viewer')
    expect(res.body.members.map((m: { username: string; role: string }) => [m.username, m.role])).toEqual([
      [owner.user?.username, 'owner'],
      [viewer.user?.username, 'viewer'],
    ])
    expect(Object.keys(res.body.members[0]).sort()).toEqual(['joined_at', 'role', 'user_id', 'username'])
    const hidden = await stranger.get(`/api/teams/${id}`)
    expect(hidden.status).toBe(404)
    expect(hidden.body.error.code).toBe('not_found')
    expect((await stranger.get('/api/teams/999999999')).status).toBe(404)
  })

  it('lets only the owner update a team: 200 for the owner, 403 for a member, 404 for a stranger', async () => {
    const owner = await signUp(t.app)
    const member = await signUp(t.app)
    const stranger = await signUp(t.app)
    const id = await teamOf(owner)
    await invite(owner, id, member, 'member')
    const ok = await owner.put(`/api/teams/${id}`, { name: 'Renamed', is_shared: true })
    expect(ok.status).toBe(200)
    expect(ok.body.team).toMatchObject({ name: 'Renamed', is_shared: true })
    expect(new Date(ok.body.team.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(ok.body.team.created_at).getTime())
    expect((await member.put(`/api/teams/${id}`, { name: 'Mine' })).status).toBe(403)
    expect((await stranger.put(`/api/teams/${id}`, { name: 'Mine' })).status).toBe(404)
    expect((await owner.put(`/api/teams/${id}`, {})).status).toBe(422)
  })

  it('invites by username or email with 201; 404 for an unknown user, 409 for a member, 422 for role owner, 403 for a member inviting', async () => {
    const owner = await signUp(t.app)
    const a = await signUp(t.app)
    const b = await signUp(t.app)
    const id = await teamOf(owner)
    const byName = await owner.post(`/api/teams/${id}/invite`, { username: a.user?.username, role: 'member' })
    expect(byName.status).toBe(201)
    expect(byName.body.member).toMatchObject({ user_id: a.user?.id, username: a.user?.username, role: 'member' })
    const byEmail = await owner.post(`/api/teams/${id}/invite`, { email: b.user?.email.toUpperCase(), role: 'viewer' })
    expect(byEmail.status).toBe(201)
    expect((await owner.post(`/api/teams/${id}/invite`, { username: 'nobody_here_xyz', role: 'member' })).status).toBe(404)
    expect((await owner.post(`/api/teams/${id}/invite`, { username: a.user?.username, role: 'viewer' })).status).toBe(409)
    expect((await owner.post(`/api/teams/${id}/invite`, { username: a.user?.username, role: 'owner' })).status).toBe(422)
    expect((await owner.post(`/api/teams/${id}/invite`, { role: 'member' })).status).toBe(422)
    const c = await signUp(t.app)
    expect((await a.post(`/api/teams/${id}/invite`, { username: c.user?.username, role: 'member' })).status).toBe(403)
  })

  it('removes a member with 204 and the removed member loses access on their next request', async () => {
    const owner = await signUp(t.app)
    const member = await signUp(t.app)
    const id = await teamOf(owner)
    await invite(owner, id, member, 'member')
    const session = await member.post('/api/sessions', { team_id: id, feature_name: 'Search' })
    expect(session.status).toBe(201)
    expect((await member.get(`/api/sessions/${session.body.session.id}`)).status).toBe(200)
    expect((await owner.delete(`/api/teams/${id}/members/${member.user?.id}`)).status).toBe(204)
    expect((await member.get(`/api/sessions/${session.body.session.id}`)).status).toBe(404)
    expect((await member.get(`/api/teams/${id}`)).status).toBe(404)
    expect((await member.post('/api/sessions', { team_id: id, feature_name: 'Again' })).status).toBe(404)
    expect((await owner.delete(`/api/teams/${id}/members/${member.user?.id}`)).status).toBe(404)
  })

  it('lets a member leave (204), refuses the owner leaving (409), and refuses a member removing another (403)', async () => {
    const owner = await signUp(t.app)
    const a = await signUp(t.app)
    const b = await signUp(t.app)
    const id = await teamOf(owner)
    await invite(owner, id, a, 'member')
    await invite(owner, id, b, 'viewer')
    expect((await a.delete(`/api/teams/${id}/members/${b.user?.id}`)).status).toBe(403)
    expect((await b.delete(`/api/teams/${id}/members/${b.user?.id}`)).status).toBe(204)
    expect((await owner.delete(`/api/teams/${id}/members/${owner.user?.id}`)).status).toBe(409)
    expect((await a.delete(`/api/teams/${id}/members/${owner.user?.id}`)).status).toBe(403)
  })

  it('deletes a team with 204 (owner only), taking its sessions, tasks, decisions and snapshots and nothing else', async () => {
    const owner = await signUp(t.app)
    const member = await signUp(t.app)
    const doomed = await teamOf(owner, { name: 'Doomed' })
    const kept = await teamOf(owner, { name: 'Kept' })
    await invite(owner, doomed, member, 'member')
    const seed = async (teamId: number): Promise<number> => {
      const s = await owner.post('/api/sessions', { team_id: teamId, feature_name: 'Thing' })
      expect((await owner.post(`/api/sessions/${s.body.session.id}/decisions`, { decision_text: 'Use queues', category: 'arch', confidence: 'high' })).status).toBe(201)
      const task = await t.database.db.selectFrom('agent_tasks').select('id').where('session_id', '=', s.body.session.id).executeTakeFirstOrThrow()
      await t.database.db.insertInto('task_decisions').values({ agent_task_id: task.id, decision_text: 'Cache', rationale: 'fast', category: 'perf' }).execute()
      await t.database.db.insertInto('agent_snapshots').values({ agent_task_id: task.id, agent_role: 'software_architect', context_state: JSON.stringify({ a: 1 }) }).execute()
      return s.body.session.id
    }
    const doomedSession = await seed(doomed)
    const keptSession = await seed(kept)
    const count = async (sessionId: number) => {
      const { rows } = await sql<{ sessions: number; tasks: number; decisions: number; task_decisions: number; snapshots: number }>`
        select (select count(*) from execution_sessions where id = ${sessionId})::int as sessions,
               (select count(*) from agent_tasks where session_id = ${sessionId})::int as tasks,
               (select count(*) from session_decisions where session_id = ${sessionId})::int as decisions,
               (select count(*) from task_decisions td join agent_tasks t on t.id = td.agent_task_id where t.session_id = ${sessionId})::int as task_decisions,
               (select count(*) from agent_snapshots s join agent_tasks t on t.id = s.agent_task_id where t.session_id = ${sessionId})::int as snapshots`.execute(t.database.db)
      return rows[0]
    }
    const keptBefore = await count(keptSession)
    expect((await member.delete(`/api/teams/${doomed}`)).status).toBe(403)
    expect((await owner.delete(`/api/teams/${doomed}`)).status).toBe(204)
    expect(await count(doomedSession)).toEqual({ sessions: 0, tasks: 0, decisions: 0, task_decisions: 0, snapshots: 0 })
    expect(await count(keptSession)).toEqual(keptBefore)
    expect(keptBefore).toEqual({ sessions: 1, tasks: 7, decisions: 1, task_decisions: 1, snapshots: 1 })
    const users = await t.database.db.selectFrom('users').select('id').where('id', 'in', [owner.user?.id ?? 0, member.user?.id ?? 0]).execute()
    expect(users).toHaveLength(2)
    expect((await owner.get(`/api/teams/${doomed}`)).status).toBe(404)
    expect((await owner.get(`/api/teams/${kept}`)).status).toBe(200)
    expect((await owner.delete(`/api/teams/${doomed}`)).status).toBe(404)
  })

  it('returns 401 on every team route without a login', async () => {
    const anon = new ApiClient(t.app)
    for (const [method, path] of [
      ['GET', '/api/teams'],
      ['POST', '/api/teams'],
      ['GET', '/api/teams/1'],
      ['PUT', '/api/teams/1'],
      ['DELETE', '/api/teams/1'],
      ['POST', '/api/teams/1/invite'],
      ['DELETE', '/api/teams/1/members/2'],
    ] as const) {
      const res = await anon.call(method, path, method === 'POST' || method === 'PUT' ? { name: 'x' } : undefined)
      expect([method, path, res.status]).toEqual([method, path, 401])
    }
  })
})
