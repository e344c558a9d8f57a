import { type Kysely, type RawBuilder, sql } from 'kysely'
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
  const q = costPerDayQueries(scope, days)
  const [teams, rows] = await Promise.all([q.cost_teams.execute(db), q.cost_days.execute(db)])
  return costPerDayOf({ cost_teams: teams.rows, cost_days: rows.rows }, days)
}

/** The two queries of {@link costPerDay}: the teams' totals and the per-day sums. */
export function costPerDayQueries(scope: ChartScope, days: number): { cost_teams: RawBuilder<Record<string, unknown>>; cost_days: RawBuilder<Record<string, unknown>> } {
  const teamScope =
    scope.teamId !== null
      ? sql`select ${scope.teamId}::bigint as team_id`
      : sql`select id as team_id from teams where owner_id = ${scope.userId} union select team_id from team_memberships where user_id = ${scope.userId}`
  const cost_teams = sql<Record<string, unknown>>`
    with scope as (${teamScope})
    select t.id::int as team_id, t.name, t.monthly_budget_usd,
      coalesce(sum(a.cost_usd), 0)::float8 as cost_usd,
      coalesce(sum(a.cost_usd) filter (where a.completed_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'), 0)::float8 as month_cost_usd
    from scope join teams t on t.id = scope.team_id
      left join execution_sessions s on s.team_id = t.id
      left join agent_tasks a on a.session_id = s.id and a.status = 'completed'
    group by t.id, t.name, t.monthly_budget_usd
    order by cost_usd desc, t.id`
  const cost_days = sql<Record<string, unknown>>`
    with scope as (${teamScope})
    select to_char((a.completed_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, s.team_id::int as team_id, sum(a.cost_usd)::float8 as cost_usd
    from scope join execution_sessions s on s.team_id = scope.team_id join agent_tasks a on a.session_id = s.id
    where a.status = 'completed' and a.cost_usd is not null
      and a.completed_at >= ((now() at time zone 'UTC')::date - ${days - 1}::int)::timestamp at time zone 'UTC'
    group by 1, 2`
  return { cost_teams, cost_days }
}

/** Their rows (from the driver or as JSON) → per team and per day, zero-filled over `days` days to today. */
export function costPerDayOf(r: { cost_teams: Record<string, unknown>[]; cost_days: Record<string, unknown>[] }, days: number): { teams: CostTeam[]; days: CostPerDay[] } {
  const teams = r.cost_teams as unknown as CostTeam[]
  const rows = r.cost_days as { day: string; team_id: number; cost_usd: number }[]
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
