import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { testEngines } from '../support/engines.ts'
import { type ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'
import { testServices } from '../support/services.ts'
import { lateSessionControl, type OrchestrationNode, startOrchestrationNode, waitForEnd } from '../orchestration/support.ts'
import { PageClient } from '../pages/page-client.ts'

setDefaultTimeout(90_000)

const { redisUrl, redisPrefix } = testServices()
const HOSTILE = 'Export <script>alert(1)</script>'

for (const engine of testEngines()) {
  const redis = engine.name === 'postgres' && redisUrl !== null
  describe(`fork and diff pages without JavaScript (${engine.name})`, () => {
    let t: TestApp
    let orch: OrchestrationNode
    let owner: ApiClient
    let viewer: ApiClient
    let parentId: number
    let hiddenId: number

    const count = async (): Promise<number> =>
      Number((await t.database.db.selectFrom('execution_sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

    beforeAll(async () => {
      t = await startTestApp({ engine, sessionControl: () => lateSessionControl(() => orch) })
      orch = await startOrchestrationNode({ db: t.database, redisPrefix: redis ? `${redisPrefix}forkpg${Math.random().toString(36).slice(2, 6)}:` : null, env: { SIM_LATENCY_MS: '0' } })
      owner = await signUp(t.app)
      viewer = await signUp(t.app)
      const stranger = await signUp(t.app)
      const teamId = (await owner.post('/api/teams', { name: 'Pages team' })).body.team.id
      await owner.post(`/api/teams/${teamId}/invite`, { username: viewer.user?.username, role: 'viewer' })
      parentId = (await owner.post('/api/sessions', { team_id: teamId, feature_name: HOSTILE })).body.session.id
      const other = (await stranger.post('/api/teams', { name: 'Other' })).body.team.id
      hiddenId = (await stranger.post('/api/sessions', { team_id: other, feature_name: 'Hidden', agents: ['software_architect'] })).body.session.id
      expect(await waitForEnd(t.database.db, parentId)).toBe('completed')
    })
    afterAll(async () => {
      await orch.stop()
      await t.close()
    })

    it('shows a fork form on each card of an ended session to a member, none to a viewer', async () => {
      const page = await new PageClient(t.app, owner).get(`/sessions/${parentId}`)
      expect(page.status).toBe(200)
      const forms = [...page.html.matchAll(/<form id="(fork-form-\d+)" method="post" action="\/sessions\/\d+\/fork"/g)].map((m) => m[1])
      expect(forms).toHaveLength(7)
      expect(page.html).toContain('name="from_role" value="software_architect"')
      // Each form's CSRF field sits outside its card (so live cards and loaded cards are the same HTML), joined by form=.
      for (const id of forms) expect(page.html).toMatch(new RegExp(`<input type="hidden" name="_csrf" value="[^"]+" form="${id}"`))
      const seen = await new PageClient(t.app, viewer).get(`/sessions/${parentId}`)
      expect(seen.html).not.toContain('Fork from here')
    })

    it('forks through the plain form: 303 to the new session, which shows its parent; the parent lists it; the diff page escapes names', async () => {
      const client = new PageClient(t.app, owner)
      const res = await client.post(`/sessions/${parentId}/fork`, { from_role: 'ui_ux_designer', feedback: 'Use a wizard with three steps.' })
      expect(res.status).toBe(303)
      const forkId = Number(/^\/sessions\/(\d+)$/.exec(res.location ?? '')?.[1])
      expect(forkId).toBeGreaterThan(parentId)
      const row = await t.database.db.selectFrom('agent_tasks').select('feedback').where('session_id', '=', forkId).where('agent_role', '=', 'ui_ux_designer').executeTakeFirstOrThrow()
      expect(row.feedback).toBe('Use a wizard with three steps.')
      expect(await waitForEnd(t.database.db, forkId)).toBe('completed')
      const forkPage = await client.get(`/sessions/${forkId}`)
      expect(forkPage.html).toContain('Forked from')
      expect(forkPage.html).toContain(`href="/sessions/${forkId}/diff/${parentId}"`)
      expect(forkPage.html).toContain('copied from the parent')
      const replay = await client.get(`/sessions/${forkId}/replay`)
      expect(replay.status).toBe(200)
      expect(replay.html).toContain('copied from the parent')
      const parentPage = await client.get(`/sessions/${parentId}`)
      expect(parentPage.html).toContain(`href="/sessions/${forkId}/diff/${parentId}"`)
      const diff = await client.get(`/sessions/${forkId}/diff/${parentId}`)
      expect(diff.status).toBe(200)
      expect(diff.html).toContain('data-role="ui_ux_designer" data-changed="true"')
      expect(diff.html).toContain('data-role="software_architect" data-changed="false"')
      expect(diff.html).not.toContain('<script>alert(1)</script>')
      expect(diff.html).toContain('&lt;script&gt;')
    })

    it('refuses a viewer (403), a post without the CSRF token (403), and a diff page against a hidden session (404); nothing is created', async () => {
      const before = await count()
      expect((await new PageClient(t.app, viewer).post(`/sessions/${parentId}/fork`, { from_role: 'ui_ux_designer' })).status).toBe(403)
      expect((await new PageClient(t.app, owner).post(`/sessions/${parentId}/fork`, { from_role: 'ui_ux_designer' }, { csrf: false })).status).toBe(403)
      expect((await new PageClient(t.app, owner).post(`/sessions/${parentId}/fork`, { from_role: 'chef' })).status).toBe(422)
      expect(await count()).toBe(before)
      expect((await new PageClient(t.app, owner).get(`/sessions/${parentId}/diff/${hiddenId}`)).status).toBe(404)
    })
  })
}
