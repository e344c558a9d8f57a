import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { testEngines } from '../support/engines.ts'
import { ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'
import { testServices } from '../support/services.ts'
import { lateSessionControl, type OrchestrationNode, startOrchestrationNode, waitForEnd } from '../orchestration/support.ts'

setDefaultTimeout(90_000)

const { redisUrl, redisPrefix } = testServices()

for (const engine of testEngines()) {
  const redis = engine.name === 'postgres' && redisUrl !== null
  describe(`POST /api/sessions/:id/fork and GET /api/sessions/:id/diff (${engine.name})`, () => {
    let t: TestApp
    let orch: OrchestrationNode
    let owner: ApiClient
    let member: ApiClient
    let viewer: ApiClient
    let stranger: ApiClient
    let teamId: number
    let parentId: number
    let hiddenId: number

    const sessionCount = async (): Promise<number> =>
      Number((await t.database.db.selectFrom('execution_sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

    beforeAll(async () => {
      t = await startTestApp({ engine, sessionControl: () => lateSessionControl(() => orch) })
      orch = await startOrchestrationNode({
        db: t.database,
        redisPrefix: redis ? `${redisPrefix}forkapi${Math.random().toString(36).slice(2, 6)}:` : null,
        env: { SIM_LATENCY_MS: '0' },
      })
      owner = await signUp(t.app)
      member = await signUp(t.app)
      viewer = await signUp(t.app)
      stranger = await signUp(t.app)
      teamId = (await owner.post('/api/teams', { name: 'Fork team' })).body.team.id
      await owner.post(`/api/teams/${teamId}/invite`, { username: member.user?.username, role: 'member' })
      await owner.post(`/api/teams/${teamId}/invite`, { username: viewer.user?.username, role: 'viewer' })
      parentId = (await owner.post('/api/sessions', { team_id: teamId, feature_name: 'Invoice export', budget_usd: 5 })).body.session.id
      const otherTeam = (await stranger.post('/api/teams', { name: 'Elsewhere' })).body.team.id
      hiddenId = (await stranger.post('/api/sessions', { team_id: otherTeam, feature_name: 'Secret', agents: ['software_architect'] })).body.session.id
      expect(await waitForEnd(t.database.db, parentId)).toBe('completed')
      expect(await waitForEnd(t.database.db, hiddenId)).toBe('completed')
    })
    afterAll(async () => {
      await orch.stop()
      await t.close()
    })

    it('201: a member forks an ended session; it completes and its diff against the parent is empty', async () => {
      const res = await member.post(`/api/sessions/${parentId}/fork`, { from_role: 'security_specialist' })
      expect(res.status).toBe(201)
      expect(res.body.session).toMatchObject({ parent_id: parentId, forked_from_role: 'security_specialist', team_id: teamId, status: 'active', feature_name: 'Invoice export', budget_usd: 5, user_id: member.user?.id })
      const forkId = res.body.session.id
      expect(await waitForEnd(t.database.db, forkId)).toBe('completed')
      const tasks = (await member.get(`/api/sessions/${forkId}/tasks`)).body as Array<{ agent_role: string; reused_from_task_id: number | null; input_tokens: number }>
      expect(tasks.filter((x) => x.reused_from_task_id === null).map((x) => x.agent_role)).toEqual(['security_specialist'])
      const diff = await viewer.get(`/api/sessions/${forkId}/diff?against=${parentId}`)
      expect(diff.status).toBe(200)
      expect(diff.body).toMatchObject({ session_id: forkId, against_id: parentId })
      expect(Object.keys(diff.body.roles[0]).sort()).toEqual(['against_confidence', 'against_status', 'agent_role', 'confidence', 'decisions', 'fields_changed', 'status'])
      for (const role of diff.body.roles) {
        expect(role.status).toBe(role.against_status)
        expect(role.decisions.added).toEqual([])
        expect(role.decisions.removed).toEqual([])
        expect(role.decisions.kept.length).toBeGreaterThan(0)
        expect(role.fields_changed).toEqual([])
      }
    })

    it('with feedback the chosen role differs and the diff names its changed fields', async () => {
      const res = await owner.post(`/api/sessions/${parentId}/fork`, { from_role: 'it_administrator', feedback: 'Deploy on Kubernetes with blue-green releases.' })
      expect(res.status).toBe(201)
      expect(await waitForEnd(t.database.db, res.body.session.id)).toBe('completed')
      const diff = (await owner.get(`/api/sessions/${res.body.session.id}/diff?against=${parentId}`)).body
      const changed = diff.roles.filter((r: { fields_changed: string[] }) => r.fields_changed.length > 0).map((r: { agent_role: string }) => r.agent_role)
      expect(changed).toEqual(['it_administrator'])
    })

    it('403 for a viewer, 404 for a stranger, and nothing is created', async () => {
      const before = await sessionCount()
      const denied = await viewer.post(`/api/sessions/${parentId}/fork`, { from_role: 'software_architect' })
      expect(denied.status).toBe(403)
      expect(denied.body.error.code).toBeString()
      const hidden = await stranger.post(`/api/sessions/${parentId}/fork`, { from_role: 'software_architect' })
      expect(hidden.status).toBe(404)
      expect(hidden.body.error.message).toBeString()
      expect(await sessionCount()).toBe(before)
    })

    it('409 for an active session, 422 for a role not in the session or not a role, and nothing is created', async () => {
      const active = (await owner.post('/api/sessions', { team_id: teamId, feature_name: 'Slow [sim:hang=software_architect]' })).body.session.id
      const partial = (await owner.post('/api/sessions', { team_id: teamId, feature_name: 'Two roles', agents: ['software_architect', 'backend_developer'] })).body.session.id
      expect(await waitForEnd(t.database.db, partial)).toBe('completed')
      const before = await sessionCount()
      const conflict = await owner.post(`/api/sessions/${active}/fork`, { from_role: 'software_architect' })
      expect(conflict.status).toBe(409)
      expect(conflict.body.error.code).toBeString()
      const missing = await owner.post(`/api/sessions/${partial}/fork`, { from_role: 'it_administrator' })
      expect(missing.status).toBe(422)
      expect(missing.body.error.details).toEqual([expect.objectContaining({ field: 'from_role' })])
      const bogus = await owner.post(`/api/sessions/${partial}/fork`, { from_role: 'chef' })
      expect(bogus.status).toBe(422)
      const extra = await owner.post(`/api/sessions/${partial}/fork`, { from_role: 'backend_developer', colour: 'red' })
      expect(extra.status).toBe(422)
      expect(await sessionCount()).toBe(before)
      await owner.post(`/api/sessions/${active}/cancel`)
    })

    it('404 for a diff against a hidden session or of one, 422 without a valid against', async () => {
      const hidden = await owner.get(`/api/sessions/${parentId}/diff?against=${hiddenId}`)
      expect(hidden.status).toBe(404)
      expect(hidden.body.error.code).toBeString()
      expect((await owner.get(`/api/sessions/${hiddenId}/diff?against=${parentId}`)).status).toBe(404)
      expect((await owner.get(`/api/sessions/${parentId}/diff`)).status).toBe(422)
      expect((await owner.get(`/api/sessions/${parentId}/diff?against=abc`)).status).toBe(422)
    })
  })
}
