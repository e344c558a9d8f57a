import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { TaskStatus } from '../../src/db/index.ts'
import { type ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

let t: TestApp
let owner: ApiClient
let viewer: ApiClient
let stranger: ApiClient
let teamA: number
let teamB: number

// Sets a task's outcome directly, as the agents will.
async function finishTask(sessionId: number, role: string, status: TaskStatus, seconds: number | null, confidence?: number): Promise<number> {
  // The timestamps agree with the duration, as the supervisor writes them (the dashboard measures from them).
  const end = new Date()
  const task = await t.database.db
    .updateTable('agent_tasks')
    .set({
      status,
      started_at: new Date(end.getTime() - (seconds ?? 0) * 1000),
      completed_at: end,
      duration_seconds: seconds,
      ...(confidence === undefined ? {} : { output_data: JSON.stringify({ confidence }) }),
    })
    .where('session_id', '=', sessionId)
    .where('agent_role', '=', role)
    .returning('id')
    .executeTakeFirstOrThrow()
  return task.id
}

beforeAll(async () => {
  t = await startTestApp()
  owner = await signUp(t.app)
  viewer = await signUp(t.app)
  stranger = await signUp(t.app)
  teamA = (await owner.post('/api/teams', { name: 'A' })).body.team.id
  teamB = (await owner.post('/api/teams', { name: 'B' })).body.team.id
  await owner.post(`/api/teams/${teamA}/invite`, { username: viewer.user?.username, role: 'viewer' })

  const start = async (teamId: number, agents?: string[]): Promise<number> =>
    (await owner.post('/api/sessions', { team_id: teamId, feature_name: 'F', ...(agents ? { agents } : {}) })).body.session.id
  // Team A: one active session (7 tasks), one completed early, one cancelled; two sessions' worth of task outcomes.
  const s1 = await start(teamA)
  const s2 = await start(teamA, ['software_architect', 'backend_developer'])
  const s3 = await start(teamA, ['software_architect'])
  const arch1 = await finishTask(s1, 'software_architect', 'completed', 10, 0.8)
  await finishTask(s1, 'backend_developer', 'failed', 4)
  await finishTask(s2, 'software_architect', 'completed', 20, 0.6)
  await finishTask(s2, 'backend_developer', 'completed', 30, 0.9)
  await owner.put(`/api/sessions/${s2}/complete`)
  await owner.post(`/api/sessions/${s3}/cancel`)
  await owner.post(`/api/sessions/${s1}/decisions`, { decision_text: 'Journal one', category: 'c', confidence: 'high' })
  await t.database.db.insertInto('task_decisions').values({ agent_task_id: arch1, decision_text: 'Agent one', rationale: 'r', category: 'arch' }).execute()
  // Team B: one active session with one task.
  await start(teamB, ['it_administrator'])
})
afterAll(() => t.close())

describe('dashboard', () => {
  it('aggregates over all of the caller’s teams', async () => {
    const res = await owner.get('/api/dashboard')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      teams: 2,
      sessions: { total: 4, active: 2, completed: 1, failed: 0, cancelled: 1 },
      tasks: { total: 11, completed: 3, failed: 1 },
      decisions: 2,
      avg_session_seconds: expect.any(Number),
      // This fixture's tasks record no usage; test/document covers the sums.
      input_tokens: 0,
      output_tokens: 0,
      cost_usd: 0,
      consistency_score: null,
    })
  })

  it('covers only the teams the viewer belongs to, and is empty for a user without teams', async () => {
    const viewerView = await viewer.get('/api/dashboard')
    expect(viewerView.body.teams).toBe(1)
    expect(viewerView.body.sessions.total).toBe(3)
    const empty = await stranger.get('/api/dashboard')
    expect(empty.body).toEqual({
      teams: 0,
      sessions: { total: 0, active: 0, completed: 0, failed: 0, cancelled: 0 },
      tasks: { total: 0, completed: 0, failed: 0 },
      decisions: 0,
      avg_session_seconds: null,
      input_tokens: 0,
      output_tokens: 0,
      cost_usd: 0,
      consistency_score: null,
    })
  })

  it('gives one team’s stats with per-role counts, success rate and mean duration', async () => {
    const res = await viewer.get(`/api/dashboard/teams/${teamA}/stats`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ team_id: teamA, teams: 1, tasks: { total: 10, completed: 3, failed: 1 }, success_rate: 0.75, mean_task_seconds: 20 })
    const byRole = Object.fromEntries(res.body.roles.map((r: { agent_role: string }) => [r.agent_role, r]))
    expect(byRole.software_architect).toEqual({ agent_role: 'software_architect', total: 3, completed: 2, failed: 0, success_rate: 1, mean_duration_seconds: 15, input_tokens: 0, output_tokens: 0, cost_usd: 0 })
    expect(byRole.backend_developer).toEqual({ agent_role: 'backend_developer', total: 2, completed: 1, failed: 1, success_rate: 0.5, mean_duration_seconds: 30, input_tokens: 0, output_tokens: 0, cost_usd: 0 })
    expect(byRole.it_administrator).toMatchObject({ total: 1, completed: 0, success_rate: null, mean_duration_seconds: null })
    expect(res.body.roles).toHaveLength(7)
  })

  it('lists a team’s recent decisions newest first, from the journal and the agents, honouring limit', async () => {
    const res = await viewer.get(`/api/dashboard/teams/${teamA}/decisions`)
    expect(res.status).toBe(200)
    expect(res.body.map((d: { decision_text: string; source: string }) => [d.source, d.decision_text])).toEqual([
      ['agent', 'Agent one'],
      ['journal', 'Journal one'],
    ])
    expect((await viewer.get(`/api/dashboard/teams/${teamA}/decisions?limit=1`)).body).toHaveLength(1)
    expect((await viewer.get(`/api/dashboard/teams/${teamA}/decisions?limit=0`)).status).toBe(422)
  })

  it('reports per role the last status, tasks run and mean confidence', async () => {
    const res = await viewer.get(`/api/dashboard/teams/${teamA}/agents`)
    expect(res.status).toBe(200)
    const byRole = Object.fromEntries(res.body.map((r: { agent_role: string }) => [r.agent_role, r]))
    expect(byRole.software_architect).toEqual({ agent_role: 'software_architect', last_status: 'cancelled', tasks_run: 2, mean_confidence: 0.7, input_tokens: 0, output_tokens: 0, cost_usd: 0 })
    expect(byRole.backend_developer).toEqual({ agent_role: 'backend_developer', last_status: 'completed', tasks_run: 2, mean_confidence: 0.9, input_tokens: 0, output_tokens: 0, cost_usd: 0 })
    expect(byRole.it_administrator).toEqual({ agent_role: 'it_administrator', last_status: 'pending', tasks_run: 0, mean_confidence: null, input_tokens: 0, output_tokens: 0, cost_usd: 0 })
    expect(res.body).toHaveLength(7)
  })

  it('returns 404 for a team the caller is not in and 401 without a login', async () => {
    for (const path of [`/api/dashboard/teams/${teamB}/stats`, `/api/dashboard/teams/${teamB}/decisions`, `/api/dashboard/teams/${teamB}/agents`]) {
      expect((await viewer.get(path)).status).toBe(404)
    }
    const anon = await t.app.handle(new Request('http://localhost/api/dashboard'))
    expect(anon.status).toBe(401)
  })
})
