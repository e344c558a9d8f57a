import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/index.ts'
import type { ChartScope } from './chart-data.repo.ts'

/** What one team's tasks cost on one UTC day. */
export interface CostPerDay {
  day: string
  /** USD per team id, teams of the scope in `teams` order (0 for a day without tasks). */
  by_team: number[]
}

/** The teams of a cost chart, most expensive first, with what they spent this month and their monthly budget. */
export interface CostTeam {
  team_id: number
  name: string
  cost_usd: number
  month_cost_usd: number
  monthly_budget_usd: number | null
}

/**
 * Cost per UTC day (by completion) over the last `days` days, per team of the scope, zero-filled,
 * oldest first; and each team's total, this month's spend and monthly budget. A task without a
 * price counts as 0.
 */
export async function costPerDay(db: Kysely<Database>, scope: ChartScope, days: number): Promise<{ teams: CostTeam[]; days: CostPerDay[] }> {
  const teamScope =
    scope.teamId !== null
      ? sql`select ${scope.teamId}::bigint as team_id`
      : sql`select id as team_id from teams where owner_id = ${scope.userId} union select team_id from team_memberships where user_id = ${scope.userId}`
  const { rows: teams } = await sql<CostTeam>`
    with scope as (${teamScope})
    select t.id::int as team_id, t.name, t.monthly_budget_usd,
      coalesce(sum(a.cost_usd), 0)::float8 as cost_usd,
      coalesce(sum(a.cost_usd) filter (where a.completed_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'), 0)::float8 as month_cost_usd
    from scope join teams t on t.id = scope.team_id
      left join execution_sessions s on s.team_id = t.id
      left join agent_tasks a on a.session_id = s.id and a.status = 'completed'
    group by t.id, t.name, t.monthly_budget_usd
    order by cost_usd desc, t.id`.execute(db)
  const { rows } = await sql<{ day: string; team_id: number; cost_usd: number }>`
    with scope as (${teamScope})
    select to_char((a.completed_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, s.team_id::int as team_id, sum(a.cost_usd)::float8 as cost_usd
    from scope join execution_sessions s on s.team_id = scope.team_id join agent_tasks a on a.session_id = s.id
    where a.status = 'completed' and a.cost_usd is not null
      and a.completed_at >= ((now() at time zone 'UTC')::date - ${days - 1}::int)::timestamp at time zone 'UTC'
    group by 1, 2`.execute(db)
  const index = new Map(teams.map((t, i) => [Number(t.team_id), i]))
  const today = new Date()
  const out: CostPerDay[] = []
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i))
    out.push({ day: d.toISOString().slice(0, 10), by_team: teams.map(() => 0) })
  }
  const byDay = new Map(out.map((d) => [d.day, d]))
  for (const r of rows) {
    const slot = byDay.get(r.day)
    const i = index.get(Number(r.team_id))
    if (slot && i !== undefined) slot.by_team[i] = Math.round(Number(r.cost_usd) * 1e8) / 1e8
  }
  return { teams: teams.map((t) => ({ ...t, team_id: Number(t.team_id), cost_usd: Number(t.cost_usd), month_cost_usd: Number(t.month_cost_usd) })), days: out }
}
