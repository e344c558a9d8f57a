import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { AGENT_ROLES } from '../../src/agents/index.ts'
import type { SessionControl } from '../../src/orchestration/index.ts'
import { DEFAULT_ROLE_TOKENS } from '../../src/sessions/index.ts'
import { testEngines } from '../support/engines.ts'
import { type ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'
import { createDirectSessionControl } from '../orchestration/direct-session-control.ts'
import { MODEL_PRICES, simCost } from './support.ts'

setDefaultTimeout(60_000)

for (const engine of testEngines()) {
  describe(`budget routes (${engine.name})`, () => {
    let t: TestApp
    let owner: ApiClient
    let member: ApiClient
    let viewer: ApiClient
    let stranger: ApiClient
    let teamId: number
    const woken: number[][] = []

    beforeAll(async () => {
      t = await startTestApp({
        engine,
        env: { MODEL_PRICES },
        sessionControl: (db): SessionControl => ({
          ...createDirectSessionControl(db),
          async budgetRaised(_trx, ids) {
            woken.push([...ids])
            return null
          },
        }),
      })
      owner = await signUp(t.app)
      member = await signUp(t.app)
      viewer = await signUp(t.app)
      stranger = await signUp(t.app)
      teamId = (await owner.post('/api/teams', { name: 'Budget team', is_shared: true })).body.team.id
      await owner.post(`/api/teams/${teamId}/invite`, { username: member.user?.username, role: 'member' })
      await owner.post(`/api/teams/${teamId}/invite`, { username: viewer.user?.username, role: 'viewer' })
    })
    afterAll(() => t.close(), 60_000)

    async function start(budget: number | null = null): Promise<number> {
      const res = await member.post('/api/sessions', { team_id: teamId, feature_name: 'Checkout', budget_usd: budget })
      expect(res.status).toBe(201)
      return res.body.session.id
    }

    it('estimates a session per role: the default tokens for a team without history, times the price', async () => {
      const res = await viewer.post('/api/sessions/estimate', { team_id: teamId, feature_name: 'Checkout', plan: 'dag' })
      expect(res.status).toBe(200)
      const perRole = simCost(DEFAULT_ROLE_TOKENS.input_tokens, DEFAULT_ROLE_TOKENS.output_tokens)
      expect(res.body.by_role.map((r: { agent_role: string }) => r.agent_role)).toEqual([...AGENT_ROLES])
      expect(res.body.by_role[0]).toMatchObject({ model: 'simulated', ...DEFAULT_ROLE_TOKENS, cost_usd: perRole, basis: 'default', price_known: true })
      expect(res.body.cost_usd).toBeCloseTo(perRole * 7, 8)
      expect(res.body.input_tokens).toBe(DEFAULT_ROLE_TOKENS.input_tokens * 7)
      const fewer = await member.post('/api/sessions/estimate', { team_id: teamId, feature_name: 'Checkout', agents: ['software_architect', 'backend_developer'] })
      expect(fewer.status).toBe(200)
      expect(fewer.body.cost_usd).toBeCloseTo(perRole * 2, 8)
      expect((await stranger.post('/api/sessions/estimate', { team_id: teamId, feature_name: 'Checkout' })).status).toBe(404)
    })

    it('rejects a bad estimate request with 422', async () => {
      for (const body of [
        { team_id: teamId, feature_name: 'X', agents: ['wizard'] },
        { team_id: teamId, feature_name: 'X', agents: [] },
        { team_id: teamId, feature_name: '' },
        { team_id: teamId, feature_name: 'X', plan: 'circle' },
        { feature_name: 'X' },
      ]) {
        const res = await member.post('/api/sessions/estimate', body)
        expect(res.status).toBe(422)
        expect(res.body.error.code).toBeString()
      }
    })

    it('lets an owner set a session budget; members and viewers get 403, strangers 404', async () => {
      const sid = await start(2)
      const res = await owner.put(`/api/sessions/${sid}/budget`, { budget_usd: 7.5 })
      expect(res.status).toBe(200)
      expect(res.body.session).toMatchObject({ id: sid, budget_usd: 7.5 })
      expect((await member.put(`/api/sessions/${sid}/budget`, { budget_usd: 100 })).status).toBe(403)
      expect((await viewer.put(`/api/sessions/${sid}/budget`, { budget_usd: 100 })).status).toBe(403)
      expect((await stranger.put(`/api/sessions/${sid}/budget`, { budget_usd: 100 })).status).toBe(404)
      expect((await owner.put('/api/sessions/999999999/budget', { budget_usd: 1 })).status).toBe(404)
      const cleared = await owner.put(`/api/sessions/${sid}/budget`, { budget_usd: null })
      expect(cleared.body.session.budget_usd).toBeNull()
      expect(woken).toEqual([])
    })

    it('rejects negative, huge, non-numeric and non-finite budgets with 422 and changes nothing', async () => {
      const sid = await start(3)
      for (const raw of ['{"budget_usd":-1}', '{"budget_usd":1000001}', '{"budget_usd":1e309}', '{"budget_usd":"5"}', '{"budget_usd":"NaN"}', '{"budget_usd":NaN}', '{}', '{"budget_usd":1,"x":2}']) {
        const res = await owner.call('PUT', `/api/sessions/${sid}/budget`, undefined, { raw })
        expect([400, 422]).toContain(res.status)
        if (raw !== '{"budget_usd":NaN}') expect(res.status).toBe(422)
        expect(res.body.error.code).toBeString()
      }
      const row = await t.database.db.selectFrom('execution_sessions').select('budget_usd').where('id', '=', sid).executeTakeFirstOrThrow()
      expect(row.budget_usd).toBe(3)
    })

    it('serves the pages: the start form’s estimate without JavaScript, and the owner’s Raise budget form', async () => {
      const form = { 'content-type': 'application/x-www-form-urlencoded' }
      const page = await member.call('POST', `/teams/${teamId}/estimate`, undefined, {
        headers: form,
        raw: 'feature_name=X&plan=dag&agents=software_architect&agents=backend_developer',
      })
      expect(page.status).toBe(200)
      expect(page.text).toContain('data-estimate="total"')
      expect(page.text).toContain(`$${(2 * simCost(DEFAULT_ROLE_TOKENS.input_tokens, DEFAULT_ROLE_TOKENS.output_tokens)).toFixed(4)}`)
      const fragment = await member.call('POST', `/teams/${teamId}/estimate`, undefined, { headers: { ...form, 'hx-request': 'true' }, raw: 'agents=software_architect' })
      expect(fragment.text.trim().startsWith('<div id="start-estimate"')).toBe(true)
      expect((await viewer.call('POST', `/teams/${teamId}/estimate`, undefined, { headers: form, raw: 'agents=software_architect' })).status).toBe(403)

      const sid = await start(0)
      await t.database.db.updateTable('execution_sessions').set({ awaiting: 'budget' }).where('id', '=', sid).execute()
      const sessionPage = await owner.get(`/sessions/${sid}`)
      expect(sessionPage.text).toContain('Raise budget')
      expect((await member.get(`/sessions/${sid}`)).text).not.toContain('Raise budget')
      const bad = await owner.call('POST', `/sessions/${sid}/budget`, undefined, { headers: { ...form, 'hx-request': 'true' }, raw: 'budget_usd=-3' })
      expect(bad.status).toBe(422)
      expect(bad.text).toContain('Budget must not be negative')
      for (const raw of ['budget_usd=abc', 'budget_usd=NaN', 'budget_usd=1e400', 'budget_usd=']) {
        expect((await owner.call('POST', `/sessions/${sid}/budget`, undefined, { headers: form, raw })).status).toBe(422)
      }
      expect((await member.call('POST', `/sessions/${sid}/budget`, undefined, { headers: form, raw: 'budget_usd=9' })).status).toBe(403)
      woken.length = 0
      const ok = await owner.call('POST', `/sessions/${sid}/budget`, undefined, { headers: form, raw: 'budget_usd=9' })
      expect(ok.status).toBe(303)
      expect(woken).toEqual([[sid]])
      const row = await t.database.db.selectFrom('execution_sessions').select('budget_usd').where('id', '=', sid).executeTakeFirstOrThrow()
      expect(row.budget_usd).toBe(9)
      await t.database.db.updateTable('execution_sessions').set({ awaiting: null }).where('id', '=', sid).execute()
    })

    it('tells the supervisor of a session waiting for its budget, and only that one', async () => {
      const sid = await start(0)
      await t.database.db.updateTable('execution_sessions').set({ awaiting: 'budget' }).where('id', '=', sid).execute()
      woken.length = 0
      expect((await owner.put(`/api/sessions/${sid}/budget`, { budget_usd: 10 })).status).toBe(200)
      expect(woken).toEqual([[sid]])
      // Raising the team's monthly budget wakes every waiting session of the team.
      const other = await start(0)
      await t.database.db.updateTable('execution_sessions').set({ awaiting: 'budget' }).where('id', '=', other).execute()
      woken.length = 0
      expect((await owner.put(`/api/teams/${teamId}`, { settings: { monthly_budget_usd: 50 } })).status).toBe(200)
      expect(woken.flat().sort()).toEqual([sid, other].sort())
    })
  })
}
