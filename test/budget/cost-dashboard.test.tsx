import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import { costPerDay } from '../../src/dashboard/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { CostPerDayChart, TeamCostTable } from '../../src/views/charts/index.ts'
import { testEngines } from '../support/engines.ts'
import { newTeam } from '../orchestration/support.ts'

setDefaultTimeout(60_000)

for (const engine of testEngines()) {
  describe(`cost per day and per team (${engine.name})`, () => {
    let db: DatabaseHandle
    beforeAll(async () => {
      db = await engine.open()
    })
    afterAll(() => db.close())

    it('sums completed tasks’ costs per UTC day and team, zero-filled, and renders them as an SVG chart and a table', async () => {
      const a = await newTeam(db.db)
      const b = await newTeam(db.db)
      await db.db.updateTable('teams').set({ monthly_budget_usd: 12 }).where('id', '=', a.teamId).execute()
      const session = async (owner: { userId: number; teamId: number }) =>
        (await db.db.insertInto('execution_sessions').values({ team_id: owner.teamId, user_id: owner.userId, feature_name: 'F', plan: 'dag', status: 'completed' }).returning('id').executeTakeFirstOrThrow()).id
      const sa = await session(a)
      const sb = await session(b)
      const task = (sid: number, role: string, cost: number | null, daysAgo: number, status = 'completed') =>
        sql`insert into agent_tasks (session_id, agent_role, status, cost_usd, completed_at)
          values (${sid}, ${role}, ${status}, ${cost}, now() - make_interval(days => ${daysAgo}))`.execute(db.db)
      await task(sa, 'software_architect', 0.25, 0)
      await task(sa, 'backend_developer', 0.5, 0)
      await task(sa, 'database_administrator', null, 0) // no price: counts as 0
      await task(sa, 'frontend_developer', 9, 0, 'failed') // not completed: no cost counted
      await task(sb, 'software_architect', 1.5, 1)
      await task(sb, 'backend_developer', 7, 40) // outside the window
      const userScope = { userId: a.userId, teamId: a.teamId }
      const one = await costPerDay(db.db, userScope, 7)
      expect(one.teams).toEqual([{ team_id: a.teamId, name: expect.any(String), cost_usd: 0.75, month_cost_usd: expect.any(Number), monthly_budget_usd: 12 }])
      expect(one.days).toHaveLength(7)
      expect(one.days.at(-1)?.by_team).toEqual([0.75])
      expect(one.days.slice(0, -1).every((d) => d.by_team[0] === 0)).toBe(true)

      // Both teams for a user in both: most expensive first.
      await db.db.insertInto('team_memberships').values({ team_id: b.teamId, user_id: a.userId, role: 'member' }).execute()
      const both = await costPerDay(db.db, { userId: a.userId, teamId: null }, 7)
      expect(both.teams.map((t) => t.team_id)).toEqual([b.teamId, a.teamId])
      expect(both.teams[0]?.cost_usd).toBe(8.5)
      expect(both.days.at(-1)?.by_team).toEqual([0, 0.75])
      expect(both.days.at(-2)?.by_team).toEqual([1.5, 0])

      const html = String(<CostPerDayChart teams={both.teams} days={both.days} />)
      expect(html).toContain('<svg')
      expect(html).toContain('id="chart-cost-per-day')
      expect(html).toContain('$2.2500 over 7 days')
      expect(html.match(/<rect /g)?.length).toBe(2)
      const table = String(<TeamCostTable teams={both.teams} />)
      expect(table).toContain('$8.5000')
      expect(table).toContain('$12.0000')
      expect(table).toContain('None')
    })
  })
}
