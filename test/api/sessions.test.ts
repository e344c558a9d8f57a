import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { AGENT_ROLES } from '../../src/agents/index.ts'
import type { ExecutionSession } from '../../src/db/index.ts'
import type { SessionControl } from '../../src/orchestration/index.ts'
import { createDirectSessionControl } from '../orchestration/direct-session-control.ts'
import { ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

// Records the hand-offs to the supervisor and checks each happens inside the creating transaction.
const handedOff: Array<{ session: ExecutionSession; tasksVisible: number }> = []
const decisionsHandedOff: number[] = []

let t: TestApp
let owner: ApiClient
let member: ApiClient
let viewer: ApiClient
let stranger: ApiClient
let teamId: number

beforeAll(async () => {
  t = await startTestApp({
    sessionControl: (db): SessionControl => {
      const direct = createDirectSessionControl(db)
      return {
        ...direct,
        async sessionCreated(trx, session) {
          const tasks = await trx.selectFrom('agent_tasks').select('id').where('session_id', '=', session.id).execute()
          handedOff.push({ session, tasksVisible: tasks.length })
          return null
        },
        async decisionAdded(_trx, decision) {
          decisionsHandedOff.push(decision.id)
          return null
        },
      }
    },
  })
  owner = await signUp(t.app)
  member = await signUp(t.app)
  viewer = await signUp(t.app)
  stranger = await signUp(t.app)
  teamId = (await owner.post('/api/teams', { name: 'Sessions team', is_shared: true })).body.team.id
  await owner.post(`/api/teams/${teamId}/invite`, { username: member.user?.username, role: 'member' })
  await owner.post(`/api/teams/${teamId}/invite`, { username: viewer.user?.username, role: 'viewer' })
})
afterAll(() => t.close())

async function start(client: ApiClient, body: Record<string, unknown> = {}): Promise<number> {
  const res = await client.post('/api/sessions', { team_id: teamId, feature_name: 'Checkout', ...body })
  expect(res.status).toBe(201)
  return res.body.session.id
}

describe('POST /api/sessions', () => {
  it('creates an active session with seven pending tasks and hands it to the supervisor in the same transaction', async () => {
    const res = await member.post('/api/sessions', { team_id: teamId, feature_name: 'Password reset', description: 'Email a link', plan: 'parallel' })
    expect(res.status).toBe(201)
    const s = res.body.session
    expect(Object.keys(s).sort()).toEqual(
      [
        'created_at', 'description', 'duration_seconds', 'ended_at', 'feature_name', 'id', 'plan', 'started_at', 'status', 'team_id', 'user_id',
        'parent_id', 'forked_from_role', 'review', 'budget_usd', 'input_tokens', 'output_tokens', 'cost_usd', 'consistency_score', 'awaiting',
      ].sort(),
    )
    expect(s).toMatchObject({ team_id: teamId, user_id: member.user?.id, feature_name: 'Password reset', description: 'Email a link', plan: 'parallel', status: 'active', ended_at: null })
    expect(s.started_at).not.toBeNull()
    const tasks = await t.database.db.selectFrom('agent_tasks').selectAll().where('session_id', '=', s.id).orderBy('id').execute()
    expect(tasks.map((task) => task.agent_role)).toEqual([...AGENT_ROLES])
    expect(tasks.every((task) => task.status === 'pending')).toBe(true)
    expect(tasks[0]?.input_data).toEqual({ feature_name: 'Password reset', description: 'Email a link', plan: 'parallel' })
    expect(tasks[0]?.task_description).toContain('Password reset')
    const handOff = handedOff.find((h) => h.session.id === s.id)
    expect(handOff?.tasksVisible).toBe(7)
  })

  it('creates tasks only for the chosen agents, and defaults the plan to dag', async () => {
    const id = await start(owner, { agents: ['security_specialist', 'software_architect'] })
    const detail = await owner.get(`/api/sessions/${id}`)
    expect(detail.body.session.plan).toBe('dag')
    expect(detail.body.tasks.map((task: { agent_role: string }) => task.agent_role)).toEqual(['software_architect', 'security_specialist'])
  })

  it('returns 422 for duplicate or unknown roles, an empty list, and a bad plan', async () => {
    for (const body of [
      { agents: ['software_architect', 'software_architect'] },
      { agents: ['wizard'] },
      { agents: [] },
      { plan: 'random' },
      { feature_name: '   ' },
    ]) {
      const res = await owner.post('/api/sessions', { team_id: teamId, feature_name: 'X', ...body })
      expect(res.status).toBe(422)
      expect(res.body.error.code).toBe('validation_failed')
    }
  })

  it('returns 403 when a viewer starts a session and 404 for a team the caller is not in', async () => {
    const asViewer = await viewer.post('/api/sessions', { team_id: teamId, feature_name: 'Nope' })
    expect(asViewer.status).toBe(403)
    const asStranger = await stranger.post('/api/sessions', { team_id: teamId, feature_name: 'Nope' })
    expect(asStranger.status).toBe(404)
    expect((await stranger.post('/api/sessions', { team_id: 987654321, feature_name: 'Nope' })).status).toBe(404)
  })
})

describe('reading sessions', () => {
  it('lists sessions of the caller’s teams newest first, with cursor pagination and filters', async () => {
    const otherTeam = (await stranger.post('/api/teams', { name: 'Elsewhere' })).body.team.id
    await start(stranger, { team_id: otherTeam })
    const ids = [await start(owner), await start(owner), await start(owner)]
    const done = await start(owner)
    expect((await owner.post(`/api/sessions/${done}/cancel`)).status).toBe(200)

    const first = await viewer.get(`/api/sessions?team_id=${teamId}&limit=2`)
    expect(first.status).toBe(200)
    expect(first.body.sessions.map((s: { id: number }) => s.id)).toEqual([done, ids[2]])
    expect(typeof first.body.next_cursor).toBe('string')
    const second = await viewer.get(`/api/sessions?team_id=${teamId}&limit=2&cursor=${first.body.next_cursor}`)
    expect(second.body.sessions.map((s: { id: number }) => s.id)).toEqual([ids[1], ids[0]])

    const all: number[] = []
    let cursor: string | null = null
    do {
      const page: { body: { sessions: Array<{ id: number; team_id: number }>; next_cursor: string | null } } = await viewer.get(
        `/api/sessions?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      )
      all.push(...page.body.sessions.map((s) => s.id))
      expect(page.body.sessions.every((s) => s.team_id === teamId)).toBe(true)
      cursor = page.body.next_cursor
    } while (cursor)
    expect(all).toEqual([...all].sort((a, b) => b - a))
    expect(new Set(all).size).toBe(all.length)

    const cancelled = await owner.get(`/api/sessions?status=cancelled&team_id=${teamId}`)
    expect(cancelled.body.sessions.map((s: { id: number }) => s.id)).toContain(done)
    expect(cancelled.body.sessions.every((s: { status: string }) => s.status === 'cancelled')).toBe(true)
  })

  it('returns 422 for a bad status, limit or cursor, and 404 for a team_id the caller is not in', async () => {
    expect((await owner.get('/api/sessions?status=done')).status).toBe(422)
    expect((await owner.get('/api/sessions?limit=0')).status).toBe(422)
    expect((await owner.get('/api/sessions?limit=101')).status).toBe(422)
    expect((await owner.get('/api/sessions?cursor=bogus')).status).toBe(422)
    expect((await owner.get('/api/sessions?unknown=1')).status).toBe(422)
    expect((await stranger.get(`/api/sessions?team_id=${teamId}`)).status).toBe(404)
  })

  it('shows a session with its tasks and decisions to a viewer, and 404 to a non-member', async () => {
    const id = await start(owner)
    await member.post(`/api/sessions/${id}/decisions`, { decision_text: 'Use Stripe', category: 'payments', confidence: 'medium' })
    const res = await viewer.get(`/api/sessions/${id}`)
    expect(res.status).toBe(200)
    expect(res.body.session.id).toBe(id)
    expect(res.body.tasks).toHaveLength(7)
    expect(res.body.decisions.map((d: { decision_text: string }) => d.decision_text)).toEqual(['Use Stripe'])
    expect((await stranger.get(`/api/sessions/${id}`)).status).toBe(404)
    expect((await stranger.get(`/api/sessions/${id}/tasks`)).status).toBe(404)
    expect((await stranger.get(`/api/sessions/${id}/decisions`)).status).toBe(404)
    expect((await owner.get('/api/sessions/99999999')).status).toBe(404)
    expect((await owner.get('/api/sessions/abc')).status).toBe(422)
  })

  it('lists tasks each with its agent decisions', async () => {
    const id = await start(owner)
    const task = await t.database.db.selectFrom('agent_tasks').select('id').where('session_id', '=', id).orderBy('id').executeTakeFirstOrThrow()
    await t.database.db.insertInto('task_decisions').values({ agent_task_id: task.id, decision_text: 'Event sourcing', rationale: 'audit', category: 'arch' }).execute()
    const res = await viewer.get(`/api/sessions/${id}/tasks`)
    expect(res.status).toBe(200)
    expect(res.body).toHaveLength(7)
    expect(res.body[0].decisions.map((d: { decision_text: string }) => d.decision_text)).toEqual(['Event sourcing'])
    expect(res.body[1].decisions).toEqual([])
  })

  it('returns a task’s latest snapshot, 404 before it has one, and 404 to a non-member', async () => {
    const id = await start(owner)
    const task = await t.database.db.selectFrom('agent_tasks').select('id').where('session_id', '=', id).executeTakeFirstOrThrow()
    expect((await viewer.get(`/api/tasks/${task.id}/snapshot`)).status).toBe(404)
    await t.database.db.insertInto('agent_snapshots').values({ agent_task_id: task.id, agent_role: 'software_architect', context_state: JSON.stringify({ step: 1 }) }).execute()
    await t.database.db.insertInto('agent_snapshots').values({ agent_task_id: task.id, agent_role: 'software_architect', context_state: JSON.stringify({ step: 2 }) }).execute()
    const res = await viewer.get(`/api/tasks/${task.id}/snapshot`)
    expect(res.status).toBe(200)
    expect(res.body.snapshot.context_state).toEqual({ step: 2 })
    expect((await stranger.get(`/api/tasks/${task.id}/snapshot`)).status).toBe(404)
    expect((await viewer.get('/api/tasks/99999999/snapshot')).status).toBe(404)
  })
})

describe('ending sessions', () => {
  it('completes an active session early: completed, ended_at and duration set, unfinished tasks cancelled; 409 the second time', async () => {
    const id = await start(member)
    const running = await t.database.db.selectFrom('agent_tasks').select('id').where('session_id', '=', id).orderBy('id').executeTakeFirstOrThrow()
    await t.database.db.updateTable('agent_tasks').set({ status: 'completed', completed_at: new Date() }).where('id', '=', running.id).execute()
    const res = await member.put(`/api/sessions/${id}/complete`)
    expect(res.status).toBe(200)
    expect(res.body.session).toMatchObject({ id, status: 'completed' })
    expect(res.body.session.ended_at).not.toBeNull()
    expect(res.body.session.duration_seconds).toBeGreaterThanOrEqual(0)
    const statuses = await t.database.db.selectFrom('agent_tasks').select(['id', 'status']).where('session_id', '=', id).orderBy('id').execute()
    expect(statuses.map((s) => s.status)).toEqual(['completed', ...Array(6).fill('cancelled')])
    const again = await member.put(`/api/sessions/${id}/complete`)
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('conflict')
    expect((await member.post(`/api/sessions/${id}/cancel`)).status).toBe(409)
  })

  it('cancels an active session; 403 for a viewer, 404 for a non-member', async () => {
    const id = await start(owner)
    expect((await viewer.post(`/api/sessions/${id}/cancel`)).status).toBe(403)
    expect((await viewer.put(`/api/sessions/${id}/complete`)).status).toBe(403)
    expect((await stranger.post(`/api/sessions/${id}/cancel`)).status).toBe(404)
    const res = await owner.post(`/api/sessions/${id}/cancel`)
    expect(res.status).toBe(200)
    expect(res.body.session.status).toBe('cancelled')
    expect((await owner.post('/api/sessions/99999999/cancel')).status).toBe(404)
  })
})

describe('decisions', () => {
  it('adds a decision with 201 (also to an ended session) and tells the supervisor', async () => {
    const id = await start(owner)
    await owner.post(`/api/sessions/${id}/cancel`)
    const res = await member.post(`/api/sessions/${id}/decisions`, { decision_text: 'Rate-limit the API', category: 'security', confidence: 'high' })
    expect(res.status).toBe(201)
    expect(res.body.decision).toMatchObject({ session_id: id, decision_text: 'Rate-limit the API', category: 'security', confidence: 'high' })
    expect(decisionsHandedOff).toContain(res.body.decision.id)
  })

  it('returns 403 when a viewer adds a decision, 404 for a non-member, 422 for a bad confidence', async () => {
    const id = await start(owner)
    const body = { decision_text: 'Nope', category: 'x', confidence: 'high' }
    expect((await viewer.post(`/api/sessions/${id}/decisions`, body)).status).toBe(403)
    expect((await stranger.post(`/api/sessions/${id}/decisions`, body)).status).toBe(404)
    expect((await member.post(`/api/sessions/${id}/decisions`, { ...body, confidence: 'certain' })).status).toBe(422)
  })

  it('searches decisions with full-text search (stemmed, web syntax) and filters by category', async () => {
    const id = await start(owner)
    for (const [text, category] of [
      ['Store sessions in Redis with expiry', 'storage'],
      ['Index the orders table by customer', 'database'],
      ['Caching responses at the edge', 'performance'],
      ["Quote ' and \" and <script> safely", 'security'],
    ]) {
      expect((await member.post(`/api/sessions/${id}/decisions`, { decision_text: text, category, confidence: 'low' })).status).toBe(201)
    }
    const texts = async (query: string): Promise<string[]> => {
      const res = await viewer.get(`/api/sessions/${id}/decisions${query}`)
      expect(res.status).toBe(200)
      return res.body.map((d: { decision_text: string }) => d.decision_text)
    }
    expect(await texts('')).toHaveLength(4)
    expect(await texts('?q=cache')).toEqual(['Caching responses at the edge'])
    expect(await texts(`?q=${encodeURIComponent('indexes orders')}`)).toEqual(['Index the orders table by customer'])
    expect(await texts(`?q=${encodeURIComponent('redis -expiry')}`)).toEqual([])
    expect(await texts(`?q=${encodeURIComponent("' or 1=1 --")}`)).toEqual([])
    expect(await texts(`?q=${encodeURIComponent('quoting')}`)).toEqual(["Quote ' and \" and <script> safely"])
    expect(await texts('?category=DATABASE')).toEqual(['Index the orders table by customer'])
    expect(await texts('?q=redis&category=database')).toEqual([])
  })
})
