import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { Kysely } from 'kysely'
import {
  calibration,
  confidenceBins,
  costPerDay,
  dashboardCharts,
  dashboardFor,
  dashboardPageFigures,
  decisionCategories,
  frequentRules,
  roleChartStats,
  searchDecisions,
  sessionsPerDay,
  teamStats,
} from '../../src/dashboard/index.ts'
import type { Database, DatabaseHandle } from '../../src/db/index.ts'
import { testEngines } from '../support/engines.ts'
import { uniqueName } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

/** A user with one team holding three sessions (completed, failed, active) and some decisions; another team they are not in. */
async function seed(db: Kysely<Database>) {
  const user = async () => {
    const name = uniqueName('chart')
    return db.insertInto('users').values({ username: name, email: `${name}@example.test`, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
  }
  const me = await user()
  const stranger = await user()
  const team = async (owner: number) => {
    const t = await db.insertInto('teams').values({ name: 'Charts', owner_id: owner }).returning('id').executeTakeFirstOrThrow()
    await db.insertInto('team_memberships').values({ team_id: t.id, user_id: owner, role: 'owner' }).execute()
    return t.id
  }
  const mine = await team(me.id)
  const theirs = await team(stranger.id)
  const session = (teamId: number, status: 'active' | 'completed' | 'failed') =>
    db.insertInto('execution_sessions').values({ team_id: teamId, user_id: me.id, feature_name: 'F', status }).returning('id').executeTakeFirstOrThrow()
  const s1 = await session(mine, 'completed')
  const s2 = await session(mine, 'failed')
  await session(mine, 'active')
  const other = await session(theirs, 'completed')
  const task = (sessionId: number, role: string, status: 'completed' | 'failed', confidence: number | string | null, seconds: number) =>
    db
      .insertInto('agent_tasks')
      .values({
        session_id: sessionId,
        agent_role: role,
        status,
        duration_seconds: seconds,
        output_data: JSON.stringify(confidence === null ? {} : { confidence }),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  const a = await task(s1.id, 'software_architect', 'completed', 0.9, 10)
  await task(s2.id, 'software_architect', 'failed', null, 5)
  await task(s1.id, 'backend_developer', 'completed', 0.1, 20)
  await task(s2.id, 'backend_developer', 'completed', 'high', 30)
  await task(other.id, 'software_architect', 'completed', 0.5, 99)
  await db
    .insertInto('task_decisions')
    .values([
      { agent_task_id: a.id, decision_text: 'Hash every reset token', rationale: 'A leak must not allow resets', category: 'Security' },
      { agent_task_id: a.id, decision_text: 'One module per concern', rationale: null, category: 'architecture' },
    ])
    .execute()
  await db.insertInto('session_decisions').values({ session_id: s1.id, decision_text: 'Tokens are single-use', category: 'security', confidence: 'high' }).execute()
  return { me: me.id, mine }
}

for (const engine of testEngines()) {
  describe(`dashboard chart queries (${engine.name})`, () => {
    let handle: DatabaseHandle
    let ids: Awaited<ReturnType<typeof seed>>

    beforeAll(async () => {
      handle = await engine.open()
      ids = await seed(handle.db)
    }, 60_000)

    afterAll(async () => {
      await handle.db.deleteFrom('teams').where('name', '=', 'Charts').execute()
      await handle.close()
    })

    it('counts today’s sessions by status in a zero-filled run of days, only in the caller’s teams', async () => {
      const days = await sessionsPerDay(handle.db, { userId: ids.me, teamId: null }, 7)
      expect(days).toHaveLength(7)
      expect(days.slice(0, 6).every((d) => d.active + d.completed + d.failed + d.cancelled === 0)).toBe(true)
      expect(days[6]).toMatchObject({ day: new Date().toISOString().slice(0, 10), active: 1, completed: 1, failed: 1, cancelled: 0 })
    })

    it('computes per-role success rate and mean duration of completed tasks, listing every role', async () => {
      const roles = await roleChartStats(handle.db, { userId: ids.me, teamId: ids.mine })
      expect(roles).toHaveLength(7)
      expect(roles.find((r) => r.agent_role === 'software_architect')).toMatchObject({ tasks: 2, completed: 1, failed: 1, success_rate: 0.5, mean_duration_seconds: 10 })
      expect(roles.find((r) => r.agent_role === 'backend_developer')).toMatchObject({ success_rate: 1, mean_duration_seconds: 25 })
      expect(roles.find((r) => r.agent_role === 'it_administrator')).toMatchObject({ tasks: 0, success_rate: null, mean_duration_seconds: null })
    })

    it('counts decisions per lowercased category, journal and agents together, most first', async () => {
      expect(await decisionCategories(handle.db, { userId: ids.me, teamId: null }, 8)).toEqual([
        { label: 'security', count: 2 },
        { label: 'architecture', count: 1 },
      ])
      expect(await decisionCategories(handle.db, { userId: ids.me, teamId: null }, 1)).toEqual([
        { label: 'security', count: 2 },
        { label: 'other', count: 1 },
      ])
    })

    it('bins numeric confidences and ignores outputs without a number', async () => {
      const bins = await confidenceBins(handle.db, { userId: ids.me, teamId: null })
      expect(bins.map((b) => b.count)).toEqual([1, 0, 0, 0, 1])
      expect((await dashboardCharts(handle.db, { userId: ids.me, teamId: ids.mine })).confidence_bins).toEqual(bins)
    })

    it('finds decisions by full-text search over text and rationale, only in the caller’s teams', async () => {
      const byRationale = await searchDecisions(handle.db, ids.me, { q: 'leak', limit: 10 })
      expect(byRationale.map((d) => d.decision_text)).toEqual(['Hash every reset token'])
      const byCategory = await searchDecisions(handle.db, ids.me, { category: 'SECURITY', limit: 10 })
      expect(byCategory.map((d) => d.source).sort()).toEqual(['agent', 'journal'])
      expect(await searchDecisions(handle.db, ids.me + 1, { q: 'leak', limit: 10 })).toEqual([])
    })

    it('reads the dashboard page’s figures in one statement, equal to the separate queries', async () => {
      const { db } = handle
      // A priced, completed task, a finding and a first verdict with its review request, so every figure has rows.
      const priced = await db.selectFrom('agent_tasks').innerJoin('execution_sessions as s', 's.id', 'agent_tasks.session_id').select(['agent_tasks.id', 'agent_tasks.session_id']).where('s.team_id', '=', ids.mine).where('agent_tasks.status', '=', 'completed').orderBy('agent_tasks.id').executeTakeFirstOrThrow()
      await db.updateTable('agent_tasks').set({ cost_usd: 0.1234567, completed_at: new Date() }).where('id', '=', priced.id).execute()
      await db.insertInto('consistency_findings').values({ session_id: priced.session_id, rule: 'api-without-tests', severity: 'warning', roles: JSON.stringify(['api_designer']), message: 'm' }).execute()
      await db.insertInto('task_reviews').values({ task_id: priced.id, attempt: 1, reviewer_id: ids.me, reviewer: 'me', verdict: 'approve', comment: null }).execute()
      await db.insertInto('session_events').values({ session_id: priced.session_id, seq: 1, type: 'task_review_requested', data: JSON.stringify({ task_id: priced.id, attempt: 1, confidence: 0.8 }) }).execute()
      for (const teamId of [null, ids.mine]) {
        const scope = { userId: ids.me, teamId }
        const figures = await dashboardPageFigures(db, scope)
        const stats = teamId === null ? await dashboardFor(db, ids.me) : await teamStats(db, teamId)
        const { teams, sessions, tasks, decisions, avg_session_seconds, input_tokens, output_tokens, cost_usd, consistency_score } = stats
        expect(figures.stats).toEqual({ teams, sessions, tasks, decisions, avg_session_seconds, input_tokens, output_tokens, cost_usd, consistency_score })
        expect(figures.charts).toEqual(await dashboardCharts(db, scope))
        expect(figures.rules).toEqual(await frequentRules(db, scope))
        expect(figures.rules).toHaveLength(1)
        expect(figures.calibration).toEqual(await calibration(db, scope))
        expect(figures.cost).toEqual(await costPerDay(db, scope, 30))
        expect(figures.cost.teams[0]?.cost_usd).toBeCloseTo(0.1234567, 7)
      }
    })
  })
}
