import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { duplicatingBehaviour, eventTypes, type OrchestrationNode, startOrchestrationNode, until, waitForEnd } from '../orchestration/support.ts'
import { testEngines } from '../support/engines.ts'
import { type ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'

setDefaultTimeout(90_000)

/** Starts a session through the API (the orchestration node supervises it) and waits for its end. */
async function runSession(owner: ApiClient, teamId: number, db: DatabaseHandle, feature_name: string): Promise<number> {
  const res = await owner.post('/api/sessions', { team_id: teamId, feature_name, description: 'Finance exports invoices to CSV every month.' })
  expect(res.status).toBe(201)
  const id = res.body.session.id as number
  expect(await waitForEnd(db.db, id, 60_000)).toBe('completed')
  return id
}

for (const engine of testEngines()) {
  describe(`consistency check when a session completes (${engine.name})`, () => {
    let db: DatabaseHandle
    let node: OrchestrationNode
    let t: TestApp
    let owner: ApiClient
    let teamId: number
    beforeAll(async () => {
      db = await engine.open()
      node = await startOrchestrationNode({ db, redisPrefix: null })
      t = await startTestApp({ engine: { name: engine.name, open: async () => db }, sessionControl: () => node.control, store: 'database' })
      owner = await signUp(t.app)
      teamId = (await owner.post('/api/teams', { name: 'Consistency team', is_shared: true })).body.team.id
    })
    afterAll(async () => {
      await node.stop()
      await t.close()
    })

    it('scores a default session 100 with no finding, checked in the commit that completes it', async () => {
      const id = await runSession(owner, teamId, db, 'Invoice export')
      const session = (await owner.get(`/api/sessions/${id}`)).body.session
      expect(session.consistency_score).toBe(100)
      const findings = await owner.get(`/api/sessions/${id}/findings`)
      expect(findings.status).toBe(200)
      expect(findings.body).toEqual([])
      const types = await eventTypes(db.db, id)
      expect(types.slice(-2)).toEqual(['consistency_checked', 'session_completed'])
      const event = await db.db.selectFrom('session_events').select('data').where('session_id', '=', id).where('type', '=', 'consistency_checked').executeTakeFirstOrThrow()
      expect(event.data).toEqual({ score: 100, errors: 0, warnings: 0 })
    })

    it('gives an error naming the frontend and the backend under [sim:mismatch=frontend_developer]; resolving changes its status, not the score', async () => {
      const id = await runSession(owner, teamId, db, 'Invoice export [sim:mismatch=frontend_developer]')
      const score = (await owner.get(`/api/sessions/${id}`)).body.session.consistency_score
      expect(score).toBeLessThan(100)
      const findings = (await owner.get(`/api/sessions/${id}/findings`)).body as Array<Record<string, unknown>>
      const error = findings.find((f) => f.severity === 'error')
      expect(error).toMatchObject({ session_id: id, rule: 'frontend_calls_backend', roles: ['frontend_developer', 'backend_developer'], status: 'open', note: null })
      expect(Object.keys(error ?? {}).sort()).toEqual(['created_at', 'id', 'message', 'note', 'roles', 'rule', 'session_id', 'severity', 'status', 'updated_at'])

      const put = await owner.put(`/api/findings/${error?.id}`, { status: 'resolved', note: 'Backend adds DELETE in the next fork' })
      expect(put.status).toBe(200)
      expect(put.body.finding).toMatchObject({ id: error?.id, status: 'resolved', note: 'Backend adds DELETE in the next fork' })
      expect((await owner.get(`/api/sessions/${id}`)).body.session.consistency_score).toBe(score)
      const checked = await db.db.selectFrom('session_events').select('data').where('session_id', '=', id).where('type', '=', 'consistency_checked').execute()
      expect(checked).toHaveLength(1)
      expect((checked[0]?.data as { score: number }).score).toBe(score)
    })

    it('checks a session a member completes early over the roles that finished, and never a cancelled one', async () => {
      const started = await owner.post('/api/sessions', { team_id: teamId, feature_name: 'Invoice export [sim:hang=security_specialist] [sim:mismatch=ui_ux_designer]', description: 'Finance exports invoices.' })
      const id = started.body.session.id as number
      await until('the security specialist to be running', async () => {
        const tasks = (await owner.get(`/api/sessions/${id}/tasks`)).body as Array<{ agent_role: string; status: string }>
        return tasks.some((t) => t.agent_role === 'security_specialist' && t.status === 'running')
      }, 60_000)
      expect((await owner.put(`/api/sessions/${id}/complete`)).status).toBe(200)
      expect(await waitForEnd(db.db, id)).toBe('completed')
      const findings = (await owner.get(`/api/sessions/${id}/findings`)).body as Array<{ rule: string }>
      // The UI/UX designer finished (its mismatch is found); the vulnerability rule did not run without the security specialist's output.
      expect(findings.map((f) => f.rule)).toEqual(['flows_screens_built'])
      expect((await owner.get(`/api/sessions/${id}`)).body.session.consistency_score).toBe(97)

      const cancelled = await owner.post('/api/sessions', { team_id: teamId, feature_name: 'Invoice export [sim:hang=*]', description: 'Finance exports invoices.' })
      const cid = cancelled.body.session.id as number
      expect((await owner.post(`/api/sessions/${cid}/cancel`)).status).toBe(200)
      expect(await waitForEnd(db.db, cid)).toBe('cancelled')
      expect((await owner.get(`/api/sessions/${cid}`)).body.session.consistency_score).toBeNull()
      expect(await eventTypes(db.db, cid)).not.toContain('consistency_checked')
    })

    it('refuses a bad status with 422, a viewer with 403 and a stranger with 404, changing nothing', async () => {
      const id = await runSession(owner, teamId, db, 'Invoice export [sim:mismatch=backend_developer]')
      const finding = ((await owner.get(`/api/sessions/${id}/findings`)).body as Array<{ id: number; status: string }>)[0]
      expect(finding).toBeDefined()
      const viewer = await signUp(t.app)
      expect((await owner.post(`/api/teams/${teamId}/invite`, { username: viewer.user?.username, role: 'viewer' })).status).toBe(201)
      const stranger = await signUp(t.app)
      expect((await owner.put(`/api/findings/${finding?.id}`, { status: 'fixed' })).status).toBe(422)
      expect((await owner.put(`/api/findings/${finding?.id}`, { status: 'resolved', extra: 1 })).status).toBe(422)
      expect((await viewer.get(`/api/sessions/${id}/findings`)).status).toBe(200)
      expect((await viewer.put(`/api/findings/${finding?.id}`, { status: 'dismissed' })).status).toBe(403)
      expect((await stranger.put(`/api/findings/${finding?.id}`, { status: 'dismissed' })).status).toBe(404)
      expect((await stranger.get(`/api/sessions/${id}/findings`)).status).toBe(404)
      expect((await owner.put('/api/findings/999999999', { status: 'dismissed' })).status).toBe(404)
      const after = ((await owner.get(`/api/sessions/${id}/findings`)).body as Array<{ id: number; status: string }>).find((f) => f.id === finding?.id)
      expect(after?.status).toBe('open')
    })
  })
}

describe('consistency check with every message delivered twice', () => {
  it('records the findings and the event exactly once', async () => {
    const engine = testEngines()[0]
    if (!engine) throw new Error('no engine')
    const db = await engine.open()
    const node = await startOrchestrationNode({ db, redisPrefix: null, wrap: duplicatingBehaviour })
    const t = await startTestApp({ engine: { name: engine.name, open: async () => db }, sessionControl: () => node.control, store: 'database' })
    try {
      const owner = await signUp(t.app)
      const teamId = (await owner.post('/api/teams', { name: 'Dup team', is_shared: true })).body.team.id
      const id = await runSession(owner, teamId, db, 'Invoice export [sim:mismatch=frontend_developer] [sim:mismatch=database_administrator]')
      await Bun.sleep(300) // let straggling duplicates arrive
      const findings = (await owner.get(`/api/sessions/${id}/findings`)).body as Array<{ rule: string; message: string }>
      const keys = findings.map((f) => `${f.rule}: ${f.message}`)
      expect(findings.length).toBeGreaterThan(1)
      expect(new Set(keys).size).toBe(keys.length)
      const types = await eventTypes(db.db, id)
      expect(types.filter((x) => x === 'consistency_checked')).toHaveLength(1)
      expect(types.filter((x) => x === 'session_completed')).toHaveLength(1)
    } finally {
      await node.stop()
      await t.close()
    }
  })
})
