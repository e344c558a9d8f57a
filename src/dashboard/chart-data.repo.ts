import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from '../db/index.ts'
import { type RoleStats, roleStatsIn, roleStatsOf, roleStatsQuery } from './dashboard.repo.ts'

/** Whose data a chart shows: every team of `userId`, or only `teamId` (the caller checked access). */
export interface ChartScope {
  userId: number
  teamId: number | null
}

/** Sessions created on one UTC day, by status. */
export interface SessionsPerDay {
  day: string
  active: number
  completed: number
  failed: number
  cancelled: number
}

/** One role's finished tasks. */
export interface RoleChartStats {
  agent_role: string
  tasks: number
  completed: number
  failed: number
  success_rate: number | null
  mean_duration_seconds: number | null
}

/** A labelled count. */
export interface LabelCount {
  label: string
  count: number
}

/** Every chart of the dashboard. */
export interface DashboardCharts {
  sessions_per_day: SessionsPerDay[]
  roles: RoleChartStats[]
  decision_categories: LabelCount[]
  confidence_bins: LabelCount[]
}

const num = (v: unknown): number => Number(v ?? 0)

function teamIds(scope: ChartScope): RawBuilder<unknown> {
  if (scope.teamId !== null) return sql`select ${scope.teamId}::bigint as team_id`
  return sql`select id as team_id from teams where owner_id = ${scope.userId}
             union select team_id from team_memberships where user_id = ${scope.userId}`
}

/** Sessions created per UTC day over the last `days` days (today included), zero-filled, oldest first. */
export function sessionsPerDayQuery(scope: ChartScope, days: number): RawBuilder<Record<string, unknown>> {
  return sql<Record<string, unknown>>`
    with scope as (${teamIds(scope)}),
    days as (
      select generate_series((now() at time zone 'UTC')::date - ${days - 1}::int, (now() at time zone 'UTC')::date, interval '1 day')::date as day
    )
    select to_char(d.day, 'YYYY-MM-DD') as day,
      count(s.id) filter (where s.status = 'active') as active,
      count(s.id) filter (where s.status = 'completed') as completed,
      count(s.id) filter (where s.status = 'failed') as failed,
      count(s.id) filter (where s.status = 'cancelled') as cancelled
    from days d
    left join execution_sessions s
      on (s.created_at at time zone 'UTC')::date = d.day and s.team_id in (select team_id from scope)
    group by d.day order by d.day`
}

/** The per-day rows (from the driver or as JSON) → the chart's days. */
export function sessionsPerDayOf(rows: Record<string, unknown>[]): SessionsPerDay[] {
  return rows.map((r) => ({ day: String(r.day), active: num(r.active), completed: num(r.completed), failed: num(r.failed), cancelled: num(r.cancelled) }))
}

/** Sessions created per UTC day over the last `days` days (today included), zero-filled, oldest first. */
export async function sessionsPerDay(db: Kysely<Database>, scope: ChartScope, days: number): Promise<SessionsPerDay[]> {
  return sessionsPerDayOf((await sessionsPerDayQuery(scope, days).execute(db)).rows)
}

/** Per role (all seven, then any other found): tasks, completed, failed, success rate and mean duration of completed tasks. */
export async function roleChartStats(db: Kysely<Database>, scope: ChartScope): Promise<RoleChartStats[]> {
  return roleChartStatsOf(await roleStatsIn(db, teamIds(scope)))
}

function roleChartStatsOf(roles: RoleStats[]): RoleChartStats[] {
  return roles.map(({ total, ...role }) => ({ ...role, tasks: total }))
}

/** Decisions (journal and agents') per lowercased category, most first, at most `limit` (the rest as "other"). */
function decisionCategoriesQuery(scope: ChartScope, limit: number): RawBuilder<Record<string, unknown>> {
  return sql<Record<string, unknown>>`
    with scope as (${teamIds(scope)}),
    all_decisions as (
      select lower(coalesce(nullif(trim(sd.category), ''), 'uncategorised')) as label
        from session_decisions sd join execution_sessions s on s.id = sd.session_id
       where s.team_id in (select team_id from scope)
      union all
      select lower(coalesce(nullif(trim(td.category), ''), 'uncategorised'))
        from task_decisions td join agent_tasks t on t.id = td.agent_task_id join execution_sessions s on s.id = t.session_id
       where s.team_id in (select team_id from scope)
    ),
    counted as (select label, count(*) as count, row_number() over (order by count(*) desc, label) as rank from all_decisions group by label)
    select case when rank <= ${limit} then label else 'other' end as label, sum(count) as count
    from counted group by 1 order by min(rank)`
}

function decisionCategoriesOf(rows: Record<string, unknown>[]): LabelCount[] {
  return rows.map((r) => ({ label: String(r.label), count: num(r.count) }))
}

/** Decisions (journal and agents') per lowercased category, most first, at most `limit` (the rest as "other"). */
export async function decisionCategories(db: Kysely<Database>, scope: ChartScope, limit: number): Promise<LabelCount[]> {
  return decisionCategoriesOf((await decisionCategoriesQuery(scope, limit).execute(db)).rows)
}

/** How confident the agents said they were (output `confidence`, 0..1) in five bins of 0.2. */
function confidenceBinsQuery(scope: ChartScope): RawBuilder<Record<string, unknown>> {
  return sql<Record<string, unknown>>`
    with scope as (${teamIds(scope)})
    select least(width_bucket((t.output_data->>'confidence')::float8, 0, 1, 5), 5) as bin, count(*) as count
    from agent_tasks t join execution_sessions s on s.id = t.session_id
    where s.team_id in (select team_id from scope)
      and jsonb_typeof(t.output_data->'confidence') = 'number'
    group by 1`
}

function confidenceBinsOf(rows: Record<string, unknown>[]): LabelCount[] {
  const counts = new Map(rows.map((r) => [num(r.bin), num(r.count)]))
  const labels = ['0–0.2', '0.2–0.4', '0.4–0.6', '0.6–0.8', '0.8–1']
  // width_bucket puts values below 0 in bin 0; they belong with the lowest bin.
  return labels.map((label, i) => ({ label, count: (counts.get(i + 1) ?? 0) + (i === 0 ? (counts.get(0) ?? 0) : 0) }))
}

/** How confident the agents said they were (output `confidence`, 0..1) in five bins of 0.2. */
export async function confidenceBins(db: Kysely<Database>, scope: ChartScope): Promise<LabelCount[]> {
  return confidenceBinsOf((await confidenceBinsQuery(scope).execute(db)).rows)
}

/** The charts' queries (one statement with readTogether), and their rows → the charts. */
export function dashboardChartsQueries(scope: ChartScope, days = 14) {
  return {
    per_day: sessionsPerDayQuery(scope, days),
    roles: roleStatsQuery(teamIds(scope)),
    categories: decisionCategoriesQuery(scope, 8),
    confidence: confidenceBinsQuery(scope),
  }
}

export function dashboardChartsOf(rows: Record<keyof ReturnType<typeof dashboardChartsQueries>, Record<string, unknown>[]>): DashboardCharts {
  return {
    sessions_per_day: sessionsPerDayOf(rows.per_day),
    roles: roleChartStatsOf(roleStatsOf(rows.roles)),
    decision_categories: decisionCategoriesOf(rows.categories),
    confidence_bins: confidenceBinsOf(rows.confidence),
  }
}

/** Every dashboard chart's data in one call. */
export async function dashboardCharts(db: Kysely<Database>, scope: ChartScope, days = 14): Promise<DashboardCharts> {
  const [perDay, roles, categories, confidence] = await Promise.all([
    sessionsPerDay(db, scope, days),
    roleChartStats(db, scope),
    decisionCategories(db, scope, 8),
    confidenceBins(db, scope),
  ])
  return { sessions_per_day: perDay, roles, decision_categories: categories, confidence_bins: confidence }
}
