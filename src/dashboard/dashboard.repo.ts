import { type Kysely, type RawBuilder, sql } from 'kysely'
import { AGENT_ROLES } from '../agents/index.ts'
import type { Database, TaskStatus } from '../db/index.ts'

/** The aggregates of API.md's dashboard, over a set of teams. */
export interface DashboardStats {
  teams: number
  sessions: { total: number; active: number; completed: number; failed: number; cancelled: number }
  tasks: { total: number; completed: number; failed: number }
  /** Journal decisions plus the agents' decisions. */
  decisions: number
  /** Mean duration of ended sessions; null when none has ended. */
  avg_session_seconds: number | null
  /** Tokens and cost summed over every task. */
  input_tokens: number
  output_tokens: number
  cost_usd: number
  /** Mean consistency score of the checked sessions (one decimal); null until a session was checked. */
  consistency_score: number | null
}

/** Task counts of one role in one team. */
export interface RoleStats {
  agent_role: string
  total: number
  completed: number
  failed: number
  /** completed / (completed + failed); null before any task finished. */
  success_rate: number | null
  /** Mean duration of completed tasks; null when none completed. */
  mean_duration_seconds: number | null
  input_tokens: number
  output_tokens: number
  cost_usd: number
}

/** One team's dashboard: the overall aggregates plus per-role task counts, success rate and mean duration. */
export interface TeamStats extends DashboardStats {
  team_id: number
  success_rate: number | null
  mean_task_seconds: number | null
  roles: RoleStats[]
}

/** A recent decision of a team: from the journal (a user's) or from an agent. */
export interface RecentDecision {
  source: 'journal' | 'agent'
  id: number
  session_id: number
  feature_name: string
  agent_role: string | null
  decision_text: string
  category: string | null
  confidence: string | null
  rationale: string | null
  created_at: Date
}

/** One role's track record in a team. */
export interface AgentStats {
  agent_role: string
  last_status: TaskStatus | null
  tasks_run: number
  /** Mean of the `confidence` (0..1) the agent reported in its outputs; null when none did. */
  mean_confidence: number | null
  input_tokens: number
  output_tokens: number
  cost_usd: number
}

/**
 * A task's and a session's duration in fractional seconds, from their timestamps (the
 * `duration_seconds` columns hold whole seconds: a 0.4 s task reads 0), else that column.
 */
const TASK_SECONDS = sql`coalesce(extract(epoch from (t.completed_at - t.started_at))::float8, t.duration_seconds)`
const SESSION_SECONDS = sql`coalesce(extract(epoch from (ended_at - started_at))::float8, duration_seconds)`

const num = (v: unknown): number => Number(v ?? 0)
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
/** USD rounded to a micro-dollar, so a sum does not show floating-point dust. */
const usd = (v: unknown): number => Math.round(Number(v ?? 0) * 1e6) / 1e6

/** Every aggregate in one query over the team ids `teams` selects (one row); nothing is loaded row by row. */
export function aggregateQuery(teams: RawBuilder<unknown>): RawBuilder<Record<string, unknown>> {
  return sql<Record<string, unknown>>`
    with scope as (${teams}),
    s as (
      select count(*) as total,
        count(*) filter (where status = 'active') as active,
        count(*) filter (where status = 'completed') as completed,
        count(*) filter (where status = 'failed') as failed,
        count(*) filter (where status = 'cancelled') as cancelled,
        avg(${SESSION_SECONDS}) filter (where status <> 'active' and (duration_seconds is not null or ended_at is not null))::float8 as avg_seconds,
        avg(consistency_score)::float8 as consistency
      from execution_sessions where team_id in (select team_id from scope)
    ),
    t as (
      select count(*) as total,
        count(*) filter (where t.status = 'completed') as completed,
        count(*) filter (where t.status = 'failed') as failed,
        avg(${TASK_SECONDS}) filter (where t.status = 'completed')::float8 as mean_seconds,
        coalesce(sum(t.input_tokens), 0) as input_tokens, coalesce(sum(t.output_tokens), 0) as output_tokens,
        coalesce(sum(t.cost_usd), 0)::float8 as cost_usd
      from agent_tasks t join execution_sessions s on s.id = t.session_id
      where s.team_id in (select team_id from scope)
    ),
    d as (
      select
        (select count(*) from session_decisions sd join execution_sessions s on s.id = sd.session_id
          where s.team_id in (select team_id from scope))
        + (select count(*) from task_decisions td join agent_tasks t on t.id = td.agent_task_id
             join execution_sessions s on s.id = t.session_id where s.team_id in (select team_id from scope)) as total
    )
    select (select count(*) from scope) as teams,
      s.total as s_total, s.active, s.completed as s_completed, s.failed as s_failed, s.cancelled, s.avg_seconds, s.consistency,
      t.total as t_total, t.completed as t_completed, t.failed as t_failed, t.mean_seconds, t.input_tokens, t.output_tokens, t.cost_usd,
      d.total as decisions
    from s, t, d`
}

/** The aggregate query's row (from the driver or as JSON) → the dashboard's figures. */
export function aggregateOf(r: Record<string, unknown> = {}): DashboardStats & { success_rate: number | null; mean_task_seconds: number | null } {
  const completed = num(r.t_completed)
  const failed = num(r.t_failed)
  return {
    teams: num(r.teams),
    sessions: { total: num(r.s_total), active: num(r.active), completed: num(r.s_completed), failed: num(r.s_failed), cancelled: num(r.cancelled) },
    tasks: { total: num(r.t_total), completed, failed },
    decisions: num(r.decisions),
    avg_session_seconds: numOrNull(r.avg_seconds),
    input_tokens: num(r.input_tokens),
    output_tokens: num(r.output_tokens),
    cost_usd: usd(r.cost_usd),
    consistency_score: r.consistency === null || r.consistency === undefined ? null : Math.round(Number(r.consistency) * 10) / 10,
    success_rate: completed + failed > 0 ? completed / (completed + failed) : null,
    mean_task_seconds: numOrNull(r.mean_seconds),
  }
}

async function aggregate(db: Kysely<Database>, teams: RawBuilder<unknown>): Promise<DashboardStats & { success_rate: number | null; mean_task_seconds: number | null }> {
  return aggregateOf((await aggregateQuery(teams).execute(db)).rows[0])
}

/** The dashboard over every team `userId` owns or belongs to. */
export async function dashboardFor(db: Kysely<Database>, userId: number): Promise<DashboardStats> {
  const { success_rate: _s, mean_task_seconds: _m, ...stats } = await aggregate(
    db,
    sql`select id as team_id from teams where owner_id = ${userId} union select team_id from team_memberships where user_id = ${userId}`,
  )
  return stats
}

/**
 * Per role over the teams `teamIds` selects (a query with a `team_id` column): tasks,
 * completed, failed, mean duration of completed tasks, tokens and cost, in one grouped query.
 */
export function roleStatsQuery(teamIds: RawBuilder<unknown>): RawBuilder<Record<string, unknown>> {
  return sql<Record<string, unknown>>`
    select t.agent_role, count(*) as total,
      count(*) filter (where t.status = 'completed') as completed,
      count(*) filter (where t.status = 'failed') as failed,
      avg(${TASK_SECONDS}) filter (where t.status = 'completed')::float8 as mean_seconds,
      sum(t.input_tokens) as input_tokens, sum(t.output_tokens) as output_tokens, coalesce(sum(t.cost_usd), 0)::float8 as cost_usd
    from agent_tasks t join execution_sessions s on s.id = t.session_id
    where s.team_id in (${teamIds})
    group by t.agent_role`
}

/** The per-role rows (from the driver or as JSON) → every role's figures, the seven first. */
export function roleStatsOf(rows: Record<string, unknown>[]): RoleStats[] {
  const byRole = new Map(rows.map((r) => [String(r.agent_role), r]))
  return [...new Set<string>([...AGENT_ROLES, ...byRole.keys()])].map((role) => {
    const r = byRole.get(role)
    const completed = num(r?.completed)
    const failed = num(r?.failed)
    return {
      agent_role: role,
      total: num(r?.total),
      completed,
      failed,
      success_rate: completed + failed > 0 ? completed / (completed + failed) : null,
      mean_duration_seconds: numOrNull(r?.mean_seconds),
      input_tokens: num(r?.input_tokens),
      output_tokens: num(r?.output_tokens),
      cost_usd: usd(r?.cost_usd),
    }
  })
}

/** Per role (all seven, then any other found) over the teams `teamIds` selects, with the success rate. */
export async function roleStatsIn(db: Kysely<Database>, teamIds: RawBuilder<unknown>): Promise<RoleStats[]> {
  return roleStatsOf((await roleStatsQuery(teamIds).execute(db)).rows)
}

/** One team's dashboard with per-role task counts (every role listed, zero when it never ran). */
export async function teamStats(db: Kysely<Database>, teamId: number): Promise<TeamStats> {
  const overall = await aggregate(db, sql`select ${teamId}::bigint as team_id`)
  const roles = await roleStatsIn(db, sql`select ${teamId}::bigint as team_id`)
  return { team_id: teamId, ...overall, roles }
}

/** The team's newest decisions, journal and agents' together, newest first. */
export async function recentDecisions(db: Kysely<Database>, teamId: number, limit: number): Promise<RecentDecision[]> {
  const { rows } = await sql<RecentDecision>`
    select * from (
      (select 'journal' as source, sd.id, sd.session_id, s.feature_name, null::varchar as agent_role, sd.decision_text,
              sd.category, sd.confidence, null::text as rationale, sd.created_at
         from session_decisions sd join execution_sessions s on s.id = sd.session_id
        where s.team_id = ${teamId} order by sd.created_at desc, sd.id desc limit ${limit})
      union all
      (select 'agent' as source, td.id, t.session_id, s.feature_name, t.agent_role, td.decision_text,
              td.category, null::varchar as confidence, td.rationale, td.created_at
         from task_decisions td join agent_tasks t on t.id = td.agent_task_id join execution_sessions s on s.id = t.session_id
        where s.team_id = ${teamId} order by td.created_at desc, td.id desc limit ${limit})
    ) d order by created_at desc, source, id desc limit ${limit}`.execute(db)
  return rows.map((r) => ({ ...r, id: Number(r.id), session_id: Number(r.session_id) }))
}

/** Per role (all seven, plus any other role found): its latest task's status, tasks run, and mean reported confidence. */
export async function agentStats(db: Kysely<Database>, teamId: number): Promise<AgentStats[]> {
  const { rows } = await sql<{
    agent_role: string
    tasks_run: unknown
    mean_confidence: unknown
    last_status: TaskStatus | null
    input_tokens: unknown
    output_tokens: unknown
    cost_usd: unknown
  }>`
    with team_tasks as (
      select t.* from agent_tasks t join execution_sessions s on s.id = t.session_id where s.team_id = ${teamId}
    ),
    agg as (
      select agent_role,
        count(*) filter (where started_at is not null) as tasks_run,
        -- CASE, not FILTER, guards the cast: only numbers are cast.
        avg(case when jsonb_typeof(output_data->'confidence') = 'number' then (output_data->>'confidence')::float8 end) as mean_confidence,
        sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens, coalesce(sum(cost_usd), 0)::float8 as cost_usd
      from team_tasks group by agent_role
    ),
    latest as (
      select distinct on (agent_role) agent_role, status as last_status
      from team_tasks order by agent_role, created_at desc, id desc
    )
    select agg.agent_role, agg.tasks_run, agg.mean_confidence, agg.input_tokens, agg.output_tokens, agg.cost_usd, latest.last_status
    from agg join latest using (agent_role)`.execute(db)
  const byRole = new Map(rows.map((r) => [r.agent_role, r]))
  return [...new Set<string>([...AGENT_ROLES, ...byRole.keys()])].map((role) => {
    const r = byRole.get(role)
    return {
      agent_role: role,
      last_status: r?.last_status ?? null,
      tasks_run: num(r?.tasks_run),
      mean_confidence: numOrNull(r?.mean_confidence),
      input_tokens: num(r?.input_tokens),
      output_tokens: num(r?.output_tokens),
      cost_usd: usd(r?.cost_usd),
    }
  })
}
